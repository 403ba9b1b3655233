import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { rootRoute } from './root.tsx';

/** One job's progress and results; every role may follow it. */
export const jobDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'jobs/$jobId',
  loader: async ({ context, params }) => {
    preloadDeferredMessages();
    const { jobQueries } = await import('../shared/jobs/queries.ts');
    await context.queryClient.prefetchQuery(jobQueries.detail(params.jobId));
  },
  component: lazyRouteComponent(() => import('./job-detail.lazy.tsx'), 'JobDetailRouteComponent'),
});
