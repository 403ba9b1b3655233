/**
 * The jobs' query keys, spelled here and nowhere else. A module of their own, without the jobs'
 * schemas, because the live-events stream (first screen) marks them stale on `job-changed`.
 */
export const jobKeys = {
  all: () => ['jobs'] as const,
  lists: () => [...jobKeys.all(), 'list'] as const,
  details: () => [...jobKeys.all(), 'detail'] as const,
  detail: (jobId: string) => [...jobKeys.details(), jobId] as const,
  previews: () => [...jobKeys.all(), 'preview'] as const,
};
