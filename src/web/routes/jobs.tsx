import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { rootRoute } from './root.tsx';

/** Every role may follow the bulk jobs; only support and admin start or control them. */
export const jobsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'jobs',
  // The queries (and the jobs' schemas) load with the page, not with the first screen.
  loader: async ({ context }) => {
    preloadDeferredMessages();
    const { jobQueries } = await import('../shared/jobs/queries.ts');
    await context.queryClient.prefetchQuery(jobQueries.list());
  },
  component: lazyRouteComponent(() => import('./jobs.lazy.tsx'), 'JobsRouteComponent'),
});
