import { createRoute, lazyRouteComponent, notFound } from '@tanstack/react-router';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { can } from '../shared/session/session.ts';
import { rootRoute } from './root.tsx';

export const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'users',
  beforeLoad: ({ context }) => {
    if (!can(context.session, 'users:manage')) throw notFound();
  },
  // The page's strings are deferred (src/web/messages/deferred): fetched alongside its chunk.
  loader: () => preloadDeferredMessages(),
  component: lazyRouteComponent(() => import('./users.lazy.tsx'), 'UsersRouteComponent'),
});
