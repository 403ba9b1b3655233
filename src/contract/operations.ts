import * as z from 'zod/mini';
import { fetchResourceSchema } from './institutions.ts';

/** `POST /api/links/{id}/refresh/` body (seed 004): optional, unique, known resources. */
export const refreshBodySchema = z.strictObject({
  fetch_resources: z.optional(
    z.array(fetchResourceSchema).check(
      z.minLength(1, 'fetch_resources needs at least one resource, or leave it out to refresh everything the institution supports'),
      z.refine((resources) => new Set(resources).size === resources.length, { error: 'list each resource once' }),
    ),
  ),
});
export type RefreshBody = z.infer<typeof refreshBodySchema>;

export const operationSchema = z.object({
  request_id: z.string(),
  kind: z.enum(['delete', 'refresh']),
  link_id: z.string(),
  external_id: z.nullable(z.string()),
  institution: z.nullable(z.string()),
  resources: z.nullable(z.array(z.string())),
  state: z.enum(['pending', 'done', 'failed']),
  requested_at: z.number(),
  requested_by: z.nullable(z.string()),
  completed_at: z.nullable(z.number()),
  detail: z.nullable(z.record(z.string(), z.unknown())),
});
export type Operation = z.infer<typeof operationSchema>;

/** What every dashboard shares (`GET /bff/operations`): times are epoch milliseconds on the server's clock. */
export const operationsStateSchema = z.object({
  server_time: z.number(),
  cooldowns: z.array(z.object({ link_id: z.string(), ends_at: z.number(), source: z.string() })),
  sync_delete_budget: z.object({
    limit: z.number(),
    window_ms: z.number(),
    used: z.number(),
    remaining: z.number(),
    next_slot_at: z.nullable(z.number()),
    blocked_until: z.nullable(z.number()),
  }),
  pending: z.array(operationSchema),
  recently_completed: z.array(operationSchema),
});
export type OperationsState = z.infer<typeof operationsStateSchema>;

export const webhookRecordSchema = z.object({
  webhook_id: z.nullable(z.string()),
  received_at: z.number(),
  webhook_type: z.nullable(z.string()),
  webhook_code: z.nullable(z.string()),
  request_id: z.nullable(z.string()),
  outcome: z.string(),
  data: z.unknown(),
});

export const linkActivitySchema = z.object({
  link_id: z.string(),
  cooldown: z.nullable(z.object({ ends_at: z.number(), source: z.string() })),
  operations: z.array(operationSchema),
  webhooks: z.array(webhookRecordSchema),
  server_time: z.number(),
});
export type LinkActivity = z.infer<typeof linkActivitySchema>;

/** Belvo's 409 says "Please wait X minutes"; this reads X (1 for "1 minute" too). */
export function minutesToWait(message: string): number | null {
  const match = /wait (\d+) minutes?/i.exec(message);
  return match?.[1] ? Number(match[1]) : null;
}
