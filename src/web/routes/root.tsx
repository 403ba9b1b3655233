import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, redirect } from '@tanstack/react-router';
import { AppShell, NotFoundPage } from '../app/app-shell.tsx';
import { sessionQueries } from '../shared/session/session.ts';

export interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  // Everything but the sign-in page needs a signed-in staff session; the server enforces it too.
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQueries.current());
    if (!session && location.pathname !== '/sign-in') {
      throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    }
    return { session };
  },
  component: AppShell,
  notFoundComponent: NotFoundPage,
});
