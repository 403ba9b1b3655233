import { getRouteApi } from '@tanstack/react-router';
import { JobPage } from '../features/jobs/components/job-page.tsx';

const route = getRouteApi('/jobs/$jobId');

export function JobDetailRouteComponent() {
  const { jobId } = route.useParams();
  return <JobPage jobId={jobId} />;
}
