import * as z from 'zod/mini';

/**
 * `GET /bff/events` (server-sent events): a hint that shared state changed. The SSE event name is
 * `type`; its data is this object. Payloads are hints; the SPA re-reads the state it shows.
 */
export const linkdeskEventTypes = ['operations-changed', 'link-deleted', 'link-changed', 'job-changed'] as const;
export const linkdeskEventSchema = z.object({
  type: z.enum(linkdeskEventTypes),
  link_id: z.optional(z.string()),
  /** On `job-changed`: the job whose progress or state moved. */
  job_id: z.optional(z.string()),
});
export type LinkdeskEvent = z.infer<typeof linkdeskEventSchema>;
