import { createRoute, lazyRouteComponent, notFound } from '@tanstack/react-router';
import { preloadDeferredMessages, useT } from '../lib/i18n.ts';
import { uuidPattern } from '../../contract/links.ts';
import { ErrorPanel } from '../components/ui/error-panel.tsx';
import { BackToLinks } from '../features/links/components/back-to-links.tsx';
import { linkQueries } from '../shared/links/queries.ts';
import { isApiError } from '../lib/api-client.ts';
import { rootRoute } from './root.tsx';

export const linkDetailRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'links/$linkId',
  loader: async ({ context, params }) => {
    if (!uuidPattern.test(params.linkId)) throw notFound();
    preloadDeferredMessages();
    try {
      return await context.queryClient.ensureQueryData(linkQueries.detail(params.linkId));
    } catch (error) {
      if (isApiError(error) && error.status === 404) throw notFound();
      throw error;
    }
  },
  component: lazyRouteComponent(() => import('./link-detail.lazy.tsx'), 'LinkDetailRouteComponent'),
  notFoundComponent: LinkNotFound,
  errorComponent: LinkDetailError,
});

function LinkNotFound() {
  const { t } = useT();
  return (
    <div className="space-y-4">
      <BackToLinks />
      <div className="rounded-lg border border-slate-200 bg-white p-6">
        <h1 className="text-xl font-semibold">{t('detail.notFoundTitle')}</h1>
        <p className="mt-1 text-slate-600">{t('detail.notFoundBody')}</p>
      </div>
    </div>
  );
}

function LinkDetailError({ error, reset }: { error: unknown; reset(): void }) {
  const { t } = useT();
  return (
    <div className="space-y-4">
      <BackToLinks />
      <ErrorPanel title={t('errors.generic')} error={error} onRetry={reset} />
    </div>
  );
}
