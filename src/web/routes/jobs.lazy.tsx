import { JobsPage } from '../features/jobs/components/jobs-page.tsx';

export function JobsRouteComponent() {
  return <JobsPage />;
}
