import * as z from 'zod/mini';

// `/bff/audit`, `/bff/audit.csv` and `/bff/audit/verify`: the append-only record of who did what.

export const auditActions = [
  'sign_in',
  'sign_out',
  'link.delete',
  'link.refresh',
  'link.mfa_resume',
  'link.register',
  'user.add',
  'user.remove',
  'user.set_role',
  'user.reset_password',
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

export const auditVerificationSchema = z.union([
  z.object({ ok: z.literal(true), entries: z.number() }),
  z.object({ ok: z.literal(false), brokenAt: z.number() }),
]);
