import * as z from 'zod/mini';
import { uuidPattern } from '../links.ts';

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

const instant = z.pipe(
  z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), { error: 'use an ISO-8601 date or time, such as 2026-11-25T09:00' })),
  z.transform((value: string) => Date.parse(value)),
);

/** The query string of `/bff/audit` and `/bff/audit.csv`; times arrive as ISO text and leave as epoch ms. */
export const auditFilterSchema = z.partial(
  z.strictObject({
    actor: z.string().check(z.maxLength(128)),
    action: z.enum(auditActions, { error: `action is one of ${auditActions.join(', ')}` }),
    link_id: z.string().check(z.regex(uuidPattern, 'link_id is a link id (a UUID)')),
    outcome: z.string().check(z.regex(/^[a-z_]{1,32}$/, 'outcome is a word such as success, failure, denied')),
    from: instant,
    to: instant,
    before_id: z.pipe(z.string().check(z.regex(/^\d{1,12}$/, 'before_id is a whole number')), z.transform(Number)),
    limit: z.pipe(z.string().check(z.regex(/^\d{1,3}$/, 'limit is 1–500')), z.transform(Number)),
  }),
);

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
