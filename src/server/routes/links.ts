import { Hono } from 'hono';
import { fieldSelectionSchema, listLinksQuerySchema } from '../../contract/list-links-query.ts';
import { uuidPattern } from '../../contract/links.ts';
import type { AppEnv } from '../app-env.ts';
import type { BelvoClient } from '../belvo/client.ts';
import { errorResponse, respond } from '../errors.ts';
import { forward } from '../services/forward.ts';
import { linkIdError, parseQuery } from '../http/query.ts';

/** Rebuilds the query from validated values only, in a fixed order. */
function upstreamQuery(values: Record<string, string | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) query.set(key, value);
  return query;
}

export function linksRoutes(deps: { belvo: BelvoClient }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.get('/links/', async (c) => {
    const parsed = parseQuery(new URL(c.req.url), listLinksQuerySchema);
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    return respond(c, await forward(deps.belvo, { method: 'GET', path: '/api/links/', query: upstreamQuery(parsed.values) }, { rewritePageLinks: true }));
  });

  routes.get('/links/:id/', async (c) => {
    const id = c.req.param('id');
    if (!uuidPattern.test(id)) return errorResponse(c, 400, [linkIdError(id)]);
    const parsed = parseQuery(new URL(c.req.url), fieldSelectionSchema);
    if (!parsed.ok) return errorResponse(c, 400, parsed.errors);
    return respond(c, await forward(deps.belvo, { method: 'GET', path: `/api/links/${id.toLowerCase()}/`, query: upstreamQuery(parsed.values) }));
  });

  return routes;
}
