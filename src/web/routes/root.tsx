import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, redirect } from '@tanstack/react-router';
import { AppShell, NotFoundPage } from '../app/app-shell.tsx';
import { metaQueries } from '../shared/meta/meta.ts';
import { sessionQueries } from '../shared/session/session.ts';

export interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  // Everything but the sign-in page needs a signed-in staff session; the server enforces it too.
  beforeLoad: async ({ context, location }) => {
    // Which Belvo this is comes with the first paint: a banner arriving later pushed every page
    // down (Lighthouse CLS 0.09). A failure here is shown by the banner's own query, never thrown.
    const [session] = await Promise.all([context.queryClient.ensureQueryData(sessionQueries.current()), context.queryClient.prefetchQuery(metaQueries.meta())]);
    if (!session && location.pathname !== '/sign-in') {
      throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    }
    return { session };
  },
  component: AppShell,
  notFoundComponent: NotFoundPage,
});
