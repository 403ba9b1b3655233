import { getRouteApi } from '@tanstack/react-router';
import { AuditPage } from '../features/audit/components/audit-page.tsx';

const route = getRouteApi('/audit');

export function AuditRouteComponent() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  return <AuditPage search={search} onSearchChange={(next) => void navigate({ search: next })} />;
}
