import { Hono } from 'hono';
import { reconnectBodySchema, reconnectLinkSchema } from '../../contract/bff/reconnect.ts';
import { uuidPattern } from '../../contract/links.ts';
import type { AppEnv } from '../app-env.ts';
import { currentUser } from '../auth/middleware.ts';
import type { BelvoClient } from '../belvo/client.ts';
import type { BelvoMode } from '../config.ts';
import { errorResponse, respond } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import { readJsonBody } from '../http/json-body.ts';
import { linkIdError } from '../http/query.ts';
import type { LinkOperations } from '../services/link-operations.ts';

/** Belvo's hosted widget (belvo-api.md §10). */
export const hostedWidgetUrl = 'https://widget.belvo.io/';
/** The simulator's stand-in for it (src/belvo-sim/widget-page.ts), served through Linkdesk in simulator mode only. */
export const simulatorWidgetPath = '/belvo-sim/widget/';

/**
 * `POST /bff/links/{id}/reconnect` (support, admin): a hosted-widget URL in update mode for an
 * invalid or token_required link. In simulator mode the URL points at the simulator's widget page,
 * which this router also serves (`GET`/`POST /belvo-sim/widget/`, no session: the end user has none).
 */
export function linkReconnectRoutes(deps: { linkOperations: LinkOperations; belvo: BelvoClient; mode: BelvoMode; publicOrigin: string | null }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.post('/bff/links/:id/reconnect', async (c) => {
    const id = c.req.param('id').toLowerCase();
    if (!uuidPattern.test(id)) return errorResponse(c, 400, [linkIdError(id)]);
    const body = await readJsonBody(c, reconnectBodySchema);
    if (!body.ok) return body.response;
    const origin = deps.publicOrigin ?? new URL(c.req.url).origin;
    const widgetBase = deps.mode === 'simulator' ? `${origin}${simulatorWidgetPath}` : hostedWidgetUrl;
    const { outcome, reconnect } = await deps.linkOperations.makeReconnectLink({ linkId: id, locale: body.value.locale, widgetBase, actor: currentUser(c) });
    if (!reconnect) return respond(c, outcome);
    return jsonAnswer(c, reconnectLinkSchema, reconnect, 201, { 'cache-control': 'no-store' });
  });

  if (deps.mode === 'simulator') {
    const toSimulator = async (method: 'GET' | 'POST', query: URLSearchParams, json?: Record<string, string>) => {
      const answer = await deps.belvo.send({ method, path: simulatorWidgetPath, query, json });
      return new Response(answer.bodyText, {
        status: answer.status,
        headers: { 'content-type': answer.contentType ?? 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
      });
    };
    routes.get(simulatorWidgetPath, (c) => toSimulator('GET', new URL(c.req.url).searchParams));
    routes.post(simulatorWidgetPath, async (c) => {
      const form = await c.req.parseBody();
      const fields = Object.fromEntries(Object.entries(form).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value.slice(0, 512)]] : [])));
      return toSimulator('POST', new URLSearchParams(), fields);
    });
  }
  return routes;
}
