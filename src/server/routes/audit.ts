import { Hono } from 'hono';
import { auditFilterSchema } from '../../contract/bff/audit-query.ts';
import { auditActions, auditPageSchema, auditVerificationSchema, type AuditEntry } from '../../contract/bff/audit.ts';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import { parseQuery } from '../http/query.ts';
import type { AuditFilter, AuditLog } from '../store/audit.ts';

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
    const parsed = parseQuery(url, auditFilterSchema);
    if (!parsed.ok) return parsed;
    return { ok: true, filter: parsed.values as AuditFilter };
  };

  routes.get('/audit', async (c) => {
    const parsed = read(new URL(c.req.url));
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    const limit = Math.min(parsed.filter.limit ?? 100, 500);
    const entries = await deps.audit.list({ ...parsed.filter, limit: limit + 1 });
    return jsonAnswer(
      c,
      auditPageSchema,
      { entries: entries.slice(0, limit), has_more: entries.length > limit, actors: await deps.audit.actors(), actions: [...auditActions] },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  routes.get('/audit.csv', async (c) => {
    const parsed = read(new URL(c.req.url));
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    // In chunks, yielding between them: a 100,000-row export does not hold up other requests.
    const chunks = await deps.audit.stream({ ...parsed.filter, before_id: undefined });
    const encoder = new TextEncoder();
    const row = (entry: AuditEntry) => columns.map((column) => cell(column === 'at' ? new Date(entry.at).toISOString() : entry[column])).join(',');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${columns.join(',')}\r\n`));
      },
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value.map((entry) => `${row(entry)}\r\n`).join('')));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="linkdesk-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        'cache-control': 'no-store',
      },
    });
  });

  routes.get('/audit/verify', async (c) => jsonAnswer(c, auditVerificationSchema, await deps.audit.verify(), 200, { 'cache-control': 'no-store' }));
  return routes;
}
