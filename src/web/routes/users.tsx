import { createRoute, lazyRouteComponent, notFound } from '@tanstack/react-router';
import { can } from '../shared/session/session.ts';
import { rootRoute } from './root.tsx';

export const usersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'users',
  beforeLoad: ({ context }) => {
    if (!can(context.session, 'users:manage')) throw notFound();
  },
  component: lazyRouteComponent(() => import('./users.lazy.tsx'), 'UsersRouteComponent'),
});
