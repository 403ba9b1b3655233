import * as z from 'zod/mini';
import { uuidPattern } from '../links.ts';
import { auditActions } from './audit.ts';

// The query string of `/bff/audit` and `/bff/audit.csv`, apart from the answers: the SPA builds
// this query itself, and a module of its own keeps the parsing (pipes, transforms) out of the
// SPA's bundle.

const instant = z.pipe(
  z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), { error: 'use an ISO-8601 date or time, such as 2026-11-25T09:00' })),
  z.transform((value: string) => Date.parse(value)),
);

/** The query string of `/bff/audit` and `/bff/audit.csv`; times arrive as ISO text and leave as epoch ms. */
export const auditFilterSchema = z.partial(
  z.strictObject({
    actor: z.string().check(z.maxLength(128)),
    action: z.enum(auditActions, { error: `action is one of ${auditActions.join(', ')}` }),
    // A whole id, or the first 8 characters every screen shows.
    link_id: z.pipe(
      z.string().check(z.refine((value) => uuidPattern.test(value) || /^[0-9a-f]{8}$/i.test(value), 'link_id is a link id (a UUID) or its first 8 characters')),
      z.transform((value: string) => value.toLowerCase()),
    ),
    outcome: z.string().check(z.regex(/^[a-z_]{1,32}$/, 'outcome is a word such as success, failure, denied')),
    from: instant,
    to: instant,
    before_id: z.pipe(z.string().check(z.regex(/^\d{1,12}$/, 'before_id is a whole number')), z.transform(Number)),
    limit: z.pipe(z.string().check(z.regex(/^\d{1,3}$/, 'limit is 1–500')), z.transform(Number)),
  }),
);
