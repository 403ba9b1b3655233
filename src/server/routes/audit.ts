import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';
import { auditActions, type AuditEntry, type AuditFilter, type AuditLog } from '../store/audit.ts';
import { parseQuery } from './validation.ts';

const instant = z.pipe(
  z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)), { error: 'use an ISO-8601 date or time, such as 2026-11-25T09:00' })),
  z.transform((value: string) => Date.parse(value)),
);

const filterSchema = z.partial(
  z.strictObject({
    actor: z.string().check(z.maxLength(128)),
    action: z.enum(auditActions, { error: `action is one of ${auditActions.join(', ')}` }),
    link_id: z.pipe(
      z.string().check(z.regex(/^(?:[0-9a-f]{8}|[0-9a-f-]{36})$/i, 'link_id is a link id (a UUID) or its first 8 characters')),
      z.transform((value: string) => value.toLowerCase()),
    ),
    outcome: z.string().check(z.regex(/^[a-z_]{1,32}$/, 'outcome is a word such as success, failure, denied')),
    from: instant,
    to: instant,
    before_id: z.pipe(z.string().check(z.regex(/^\d{1,12}$/, 'before_id is a whole number')), z.transform(Number)),
    limit: z.pipe(z.string().check(z.regex(/^\d{1,3}$/, 'limit is 1–500')), z.transform(Number)),
  }),
);

const columns: (keyof AuditEntry)[] = ['id', 'at', 'actor', 'role', 'action', 'phase', 'outcome', 'link_id', 'external_id', 'belvo_request_id', 'correlation_id', 'detail'];

/** CSV cell: quoted, quotes doubled, and formula-like text defused for spreadsheet users (OWASP CSV injection). */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** The audit log, read-only: filter by person, action, link, outcome and time; CSV of exactly the filtered rows. */
export function auditRoutes(deps: { audit: AuditLog }) {
  const routes = new Hono<AppEnv>({ strict: true });

  const read = (url: URL): { ok: true; filter: AuditFilter } | { ok: false; errors: { field?: string; code: string; message: string }[] } => {
    const parsed = parseQuery(url, filterSchema);
    if (!parsed.ok) return parsed;
    return { ok: true, filter: parsed.values as AuditFilter };
  };

  routes.get('/audit', (c) => {
    const parsed = read(new URL(c.req.url));
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    const limit = Math.min(parsed.filter.limit ?? 100, 500);
    const entries = deps.audit.list({ ...parsed.filter, limit: limit + 1 });
    return c.json(
      { entries: entries.slice(0, limit), has_more: entries.length > limit, actors: deps.audit.actors(), actions: auditActions },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  routes.get('/audit.csv', (c) => {
    const parsed = read(new URL(c.req.url));
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    const entries = deps.audit.list({ ...parsed.filter, before_id: undefined, limit: 100_000 });
    const lines = [columns.join(','), ...entries.map((entry) => columns.map((column) => cell(column === 'at' ? new Date(entry.at).toISOString() : entry[column])).join(','))];
    return new Response(`${lines.join('\r\n')}\r\n`, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="linkdesk-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        'cache-control': 'no-store',
      },
    });
  });

  routes.get('/audit/verify', (c) => c.json(deps.audit.verify()));
  return routes;
}
