import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { indexQueries } from '../shared/link-index/queries.ts';
import { rootRoute } from './root.tsx';

/** Every role may read the health of the account's links. */
export const healthRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'health',
  // Starts both reads while the page's chunk loads; the page shows their errors itself. The health
  // queries (and their schemas) load with the page, not with the first screen, as the jobs' do.
  loader: async ({ context }) => {
    preloadDeferredMessages();
    const status = context.queryClient.prefetchQuery(indexQueries.status());
    const { healthQueries } = await import('../features/health/queries.ts');
    await Promise.all([context.queryClient.prefetchQuery(healthQueries.report()), status]);
  },
  component: lazyRouteComponent(() => import('./health.lazy.tsx'), 'HealthRouteComponent'),
});
