import { Hono } from 'hono';
import * as z from 'zod/mini';
import { indexLinksPageSchema, indexStatusSchema, indexSyncAcceptedSchema } from '../../contract/bff/link-index.ts';
import { indexLinksQuerySchema, type IndexLinksQuery } from '../../contract/bff/link-index-query.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import type { AppEnv } from '../app-env.ts';
import { errorResponse, type ProxyErrorItem } from '../errors.ts';
import type { LinkIndexService } from '../services/link-index.ts';
import { parseQuery } from '../http/query.ts';

const noQuery = z.strictObject({});

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const rangeStart = (value: string) => Date.parse(dateOnly.test(value) ? `${value}T00:00:00Z` : value);
const rangeEnd = (value: string) => (dateOnly.test(value) ? Date.parse(`${value}T00:00:00Z`) + 86_399_999 : Date.parse(value));

/** The query, strictly: unknown keys, repeats and bad values are 400s naming the field. */
function readQuery(url: URL): { ok: true; query: IndexLinksQuery } | { ok: false; errors: ProxyErrorItem[] } {
  const parsed = parseQuery(url, indexLinksQuerySchema);
  if (!parsed.ok) return parsed;
  const query = parsed.values;
  if (query.created_from !== undefined && query.created_to !== undefined && rangeStart(query.created_from) > rangeEnd(query.created_to)) {
    return {
      ok: false,
      errors: [{ field: 'created_to', code: 'invalid', message: `created_to (${query.created_to}) is before created_from (${query.created_from}); swap them.` }],
    };
  }
  return { ok: true, query };
}

/**
 * The link index (`/bff/index/…`): its status, an admin's "sync now", and the index-backed list and
 * CSV. Reading never calls Belvo; every answer says how fresh the index is.
 */
export function linkIndexRoutes(deps: { linkIndex: LinkIndexService }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.get('/index/status', async (c) => {
    const parsed = parseQuery(new URL(c.req.url), noQuery);
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    return jsonAnswer(c, indexStatusSchema, await deps.linkIndex.status(), 200, { 'cache-control': 'no-store' });
  });

  routes.post('/index/sync', async (c) => {
    const started = await deps.linkIndex.requestSync();
    return jsonAnswer(c, indexSyncAcceptedSchema, { started, status: await deps.linkIndex.status() }, 202, { 'cache-control': 'no-store' });
  });

  routes.get('/index/links', async (c) => {
    const parsed = readQuery(new URL(c.req.url));
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    return jsonAnswer(c, indexLinksPageSchema, await deps.linkIndex.list(parsed.query), 200, { 'cache-control': 'no-store' });
  });

  routes.get('/index/links.csv', async (c) => {
    const parsed = readQuery(new URL(c.req.url));
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    const freshness = await deps.linkIndex.freshness();
    const stamp = (freshness.as_of ?? new Date().toISOString()).replace(/[:.]/g, '-');
    return new Response(await deps.linkIndex.csv(parsed.query), {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="linkdesk-links-${stamp}.csv"`,
        'cache-control': 'no-store',
        'x-linkdesk-index-as-of': freshness.as_of ?? '',
        'x-linkdesk-index-last-change-at': freshness.last_change_at ?? '',
      },
    });
  });

  return routes;
}
