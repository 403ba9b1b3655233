import { createRoute, lazyRouteComponent, notFound } from '@tanstack/react-router';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { metaQueries } from '../shared/meta/meta.ts';
import { can } from '../shared/session/session.ts';
import { rootRoute } from './root.tsx';

/** The MFA playground: only when Linkdesk points at the simulator or Belvo's sandbox. */
export const playgroundRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'playground',
  loader: async ({ context }) => {
    preloadDeferredMessages();
    const meta = await context.queryClient.ensureQueryData(metaQueries.meta());
    // Roles without registration (viewer, support) and production never see it; the proxy refuses anyway.
    if (meta.belvo_mode === 'production' || !can(context.session, 'links:register')) throw notFound();
    return meta;
  },
  // Only QA opens it: it loads when visited, not with the first screen.
  component: lazyRouteComponent(() => import('../features/playground/components/playground-page.tsx'), 'PlaygroundPage'),
});
