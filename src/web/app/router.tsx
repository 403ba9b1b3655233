import type { QueryClient } from '@tanstack/react-query';
import { createRouter, type RouterHistory } from '@tanstack/react-router';
import { LinksTableSkeleton } from '../features/links/components/links-table-skeleton.tsx';
import { auditRoute } from '../routes/audit.tsx';
import { healthRoute } from '../routes/health.tsx';
import { indexRoute } from '../routes/index.tsx';
import { jobDetailRoute } from '../routes/job-detail.tsx';
import { jobsRoute } from '../routes/jobs.tsx';
import { linkDetailRoute } from '../routes/link-detail.tsx';
import { linksRoute } from '../routes/links.tsx';
import { playgroundRoute } from '../routes/playground.tsx';
import { rootRoute } from '../routes/root.tsx';
import { signInRoute } from '../routes/sign-in.tsx';
import { usersRoute } from '../routes/users.tsx';

export const routeTree = rootRoute.addChildren([indexRoute, signInRoute, linksRoute, linkDetailRoute, playgroundRoute, auditRoute, usersRoute, healthRoute, jobsRoute, jobDetailRoute]);

/** Plain `?status=valid&page=2` URLs: every value a string, typed by each route's schema. */
function parseSearch(searchString: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(searchString));
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createAppRouter({ queryClient, history }: { queryClient: QueryClient; history?: RouterHistory }) {
  return createRouter({
    routeTree,
    history,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPreload: 'intent',
    // Data freshness is React Query's job; the router always asks it.
    defaultPreloadStaleTime: 0,
    defaultPendingMs: 600,
    defaultPendingComponent: () => <LinksTableSkeleton />,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
