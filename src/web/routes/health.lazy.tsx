import { HealthPage } from '../features/health/components/health-page.tsx';

export function HealthRouteComponent() {
  return <HealthPage />;
}
