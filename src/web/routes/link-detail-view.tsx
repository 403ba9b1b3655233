import { getRouteApi } from '@tanstack/react-router';
import { LinkDetailPage } from '../features/links/components/link-detail-page.tsx';

const route = getRouteApi('/links/$linkId');

/** The detail page, loaded when a link is opened rather than with the list. */
export function LinkDetailView() {
  const { linkId } = route.useParams();
  return <LinkDetailPage linkId={linkId} />;
}
