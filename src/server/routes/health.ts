import { Hono } from 'hono';
import * as z from 'zod/mini';
import { duplicateGroupsPageSchema, healthDuplicateGroups, healthSchema } from '../../contract/bff/link-index.ts';
import { duplicateGroupsQuerySchema } from '../../contract/bff/link-index-query.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import { errorResponse } from '../errors.ts';
import type { LinkIndexService } from '../services/link-index.ts';
import { parseQuery } from '../http/query.ts';

const noQuery = z.strictObject({});

/**
 * `GET /bff/health`: account-wide link hygiene from the index (status × institution, orphans,
 * duplicates, stale, daily history); `GET /bff/health/duplicates` pages through every duplicate group.
 */
export function healthRoutes(deps: { linkIndex: LinkIndexService }) {
  const routes = new Hono<AppEnv>({ strict: true });
  routes.get('/health', async (c) => {
    const parsed = parseQuery(new URL(c.req.url), noQuery);
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    return jsonAnswer(c, healthSchema, await deps.linkIndex.health(), 200, { 'cache-control': 'no-store' });
  });
  routes.get('/health/duplicates', async (c) => {
    const parsed = parseQuery(new URL(c.req.url), duplicateGroupsQuerySchema);
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    const page = await deps.linkIndex.duplicateGroupsPage(parsed.values.page ?? 1, parsed.values.page_size ?? healthDuplicateGroups);
    return jsonAnswer(c, duplicateGroupsPageSchema, page, 200, { 'cache-control': 'no-store' });
  });
  return routes;
}
