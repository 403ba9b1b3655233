import { HealthPage } from '../features/health/components/health-page.tsx';

export function HealthView() {
  return <HealthPage />;
}
