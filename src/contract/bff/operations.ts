import * as z from 'zod/mini';

// `/bff/operations`, `/bff/links/{id}/activity` and `/bff/webhooks`: Linkdesk's shared state.

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

/** `GET /bff/webhooks`: every delivery kept, newest first, malformed ones too. */
export const webhookListSchema = z.object({
  webhooks: z.array(
    z.object({
      id: z.number(),
      webhook_id: z.nullable(z.string()),
      received_at: z.number(),
      webhook_type: z.nullable(z.string()),
      webhook_code: z.nullable(z.string()),
      link_id: z.nullable(z.string()),
      request_id: z.nullable(z.string()),
      outcome: z.enum(['processed', 'unmatched', 'unknown', 'malformed']),
      problem: z.nullable(z.string()),
      payload: z.string(),
    }),
  ),
});
