import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { healthQueries } from '../features/health/queries.ts';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { indexQueries } from '../shared/link-index/queries.ts';
import { rootRoute } from './root.tsx';

/** Every role may read the health of the account's links. */
export const healthRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'health',
  // Starts both reads while the page's chunk loads; the page shows their errors itself.
  loader: ({ context }) => {
    preloadDeferredMessages();
    return Promise.all([context.queryClient.prefetchQuery(healthQueries.report()), context.queryClient.prefetchQuery(indexQueries.status())]);
  },
  component: lazyRouteComponent(() => import('./health.lazy.tsx'), 'HealthRouteComponent'),
});
