import { getRouteApi } from '@tanstack/react-router';
import { Suspense } from 'react';
import { LinkHistory } from '../features/audit/components/link-history.tsx';
import { LinkDetailPage } from '../features/links/components/link-detail-page.tsx';

const route = getRouteApi('/links/$linkId');

/** The detail page, loaded when a link is opened; its history comes from the audit feature. */
export function LinkDetailRouteComponent() {
  const { linkId } = route.useParams();
  return (
    <div className="space-y-6">
      <LinkDetailPage linkId={linkId} />
      {/* Its strings come with the deferred catalogue; the link's own page does not wait for them. */}
      <Suspense fallback={null}>
        <LinkHistory linkId={linkId} />
      </Suspense>
    </div>
  );
}
