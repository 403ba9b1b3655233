import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  jobListSchema,
  jobPreviewSchema,
  jobSchema,
  openJobStates,
  type CreateJobBody,
  type Job,
  type JobState,
} from '../../../contract/bff/jobs.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { jobKeys } from './job-keys.ts';

/** What a bulk job acts on: chosen links, or every link an index filter matches. */
export type JobTarget = { link_ids: string[] } | { filter: Record<string, string> };
/** The preview's request, without `dry_run` and `confirmation`. */
export type JobRequest = Omit<CreateJobBody, 'dry_run' | 'confirmation'>;

export function isOpenJob(state: JobState): boolean {
  return (openJobStates as readonly JobState[]).includes(state);
}

// Live progress comes from `job-changed` events; polling is only the fallback for a dropped stream.
const openJobPollMs = 10_000;

export const jobQueries = {
  list: () =>
    queryOptions({
      queryKey: jobKeys.lists(),
      queryFn: async ({ signal }) => (await apiRequest('/bff/jobs', { schema: jobListSchema, signal })).data,
      staleTime: 2_000,
      refetchInterval: (query) => (query.state.data?.jobs.some((job) => isOpenJob(job.state)) ? openJobPollMs : false),
    }),
  detail: (jobId: string) =>
    queryOptions({
      queryKey: jobKeys.detail(jobId),
      queryFn: async ({ signal }) => (await apiRequest(`/bff/jobs/${encodeURIComponent(jobId)}`, { schema: jobSchema, signal })).data,
      staleTime: 1_000,
      refetchInterval: (query) => (query.state.data && isOpenJob(query.state.data.state) ? openJobPollMs : false),
    }),
  /**
   * A dry run: a POST that stores nothing and sends nothing to Belvo, so it is read like a query
   * (re-asked when the action or mode changes) but never retried or kept once its dialog closes.
   */
  preview: (request: JobRequest) =>
    queryOptions({
      queryKey: [...jobKeys.previews(), request] as const,
      queryFn: async ({ signal }) =>
        (await apiRequest('/bff/jobs', { method: 'POST', json: { ...request, dry_run: true }, schema: jobPreviewSchema, signal })).data,
      staleTime: 0,
      gcTime: 0,
      retry: false,
      refetchOnWindowFocus: false,
    }),
};

export function jobCsvHref(jobId: string): string {
  return `/bff/jobs/${encodeURIComponent(jobId)}/results.csv`;
}

/** Starts a job with the phrase the person typed; sent once (mutations never retry). */
export function useStartJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ request, confirmation }: { request: JobRequest; confirmation: string }): Promise<Job> =>
      (await apiRequest('/bff/jobs', { method: 'POST', json: { ...request, confirmation }, schema: jobSchema })).data,
    onSuccess: (job) => queryClient.setQueryData(jobKeys.detail(job.id), job),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.lists() }),
  });
}

export type JobControl = 'pause' | 'resume' | 'cancel';

export function useControlJob(jobId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (control: JobControl): Promise<Job> =>
      (await apiRequest(`/bff/jobs/${encodeURIComponent(jobId)}/${control}`, { method: 'POST', json: {}, schema: jobSchema })).data,
    // The answer has no items; the detail is re-read with them.
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.all() }),
  });
}
