import * as z from 'zod/mini';

// `/bff/audit`, `/bff/audit.csv` and `/bff/audit/verify`: the append-only record of who did what.

export const auditActions = [
  'sign_in',
  'sign_out',
  'link.delete',
  'link.refresh',
  'link.mfa_resume',
  'link.register',
  'link.access_mode',
  'link.reconnect',
  'user.add',
  'user.remove',
  'user.set_role',
  'user.reset_password',
  'job.create',
  'job.pause',
  'job.resume',
  'job.cancel',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  actor: z.string(),
  role: z.nullable(z.string()),
  action: z.string(),
  phase: z.enum(['attempt', 'result']),
  correlation_id: z.string(),
  link_id: z.nullable(z.string()),
  external_id: z.nullable(z.string()),
  belvo_request_id: z.nullable(z.string()),
  outcome: z.string(),
  detail: z.nullable(z.record(z.string(), z.unknown())),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** One page, newest first, with the choices the filters offer. */
export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  has_more: z.boolean(),
  actors: z.array(z.string()),
  actions: z.array(z.string()),
});
export type AuditPage = z.infer<typeof auditPageSchema>;

/** What verification found wrong: `id` is the entry concerned. */
export const auditProblemSchema = z.union([
  z.object({ kind: z.literal('broken'), id: z.number() }),
  z.object({ kind: z.literal('gap'), id: z.number(), missing: z.number() }),
  z.object({ kind: z.literal('truncated'), id: z.number() }),
  z.object({ kind: z.literal('checkpoint_missing') }),
  z.object({ kind: z.literal('checkpoint_forged') }),
]);
export type AuditProblem = z.infer<typeof auditProblemSchema>;

export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  entries: z.number(),
  /** Entries written before the chain was keyed: they hold only because a keyed entry follows them. */
  unkeyed_entries: z.number(),
  last_id: z.nullable(z.number()),
  problems: z.array(auditProblemSchema),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;
