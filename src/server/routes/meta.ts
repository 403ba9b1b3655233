import { Hono } from 'hono';
import { metaSchema } from '../../contract/bff/meta.ts';
import type { AppEnv } from '../app-env.ts';
import type { AppDeps } from '../app.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';

/** Linkdesk's own endpoints (not Belvo's): what the SPA needs to know about this deployment. */
export function metaRoutes(deps: AppDeps) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.get('/meta', (c) => {
    const { mode, baseUrl } = deps.config.belvo;
    return jsonAnswer(
      c,
      metaSchema,
      {
        belvo_mode: mode,
        belvo_host: mode === 'simulator' ? null : new URL(baseUrl).host,
        server_time: new Date(deps.clock.now()).toISOString(),
        version: '0.1.0',
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  // The simulator's control endpoints (clock, faults, reset), only when Linkdesk runs on it.
  routes.all('/sim/*', async (c) => {
    if (!deps.simControl) {
      return errorResponse(c, 404, [{ code: 'not_found', message: 'Simulator controls exist only when Linkdesk runs on its built-in simulator.' }]);
    }
    const url = new URL(c.req.url);
    const target = new URL(url.pathname.replace(/^\/bff\/sim/, '/_sim') + url.search, 'http://belvo-sim.internal');
    const body = ['GET', 'HEAD'].includes(c.req.method) ? undefined : await c.req.text();
    const headers = new Headers({ 'content-type': 'application/json' });
    return deps.simControl(new Request(target, { method: c.req.method, headers, body }));
  });
  return routes;
}
