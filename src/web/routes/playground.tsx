import { createRoute, lazyRouteComponent, notFound } from '@tanstack/react-router';
import { metaQueries } from '../lib/meta.ts';
import { rootRoute } from './root.tsx';

/** The MFA playground: only when Linkdesk points at the simulator or Belvo's sandbox. */
export const playgroundRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'playground',
  loader: async ({ context }) => {
    const meta = await context.queryClient.ensureQueryData(metaQueries.meta());
    if (meta.belvo_mode === 'production') throw notFound();
    return meta;
  },
  // Only QA opens it: it loads when visited, not with the first screen.
  component: lazyRouteComponent(() => import('../features/playground/components/playground-page.tsx'), 'PlaygroundPage'),
});
