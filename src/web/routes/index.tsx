import { createRoute, redirect } from '@tanstack/react-router';
import { rootRoute } from './root.tsx';

export const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/links', search: { page: 1, page_size: 100 } });
  },
});
