import { Hono } from 'hono';
import type { Clock } from '../contract/clock.ts';
import type { AppEnv } from './app-env.ts';
import type { BelvoClient } from './belvo/client.ts';
import type { AppConfig } from './config.ts';
import { errorResponse } from './errors.ts';
import type { Logger } from './logger.ts';
import { createEventBus, type EventBus } from './events.ts';
import { linkActionsRoutes } from './routes/link-actions.ts';
import { createMfaSessions, linkMfaRoutes } from './routes/link-mfa.ts';
import { createInFlight } from './routes/in-flight.ts';
import { linksRoutes } from './routes/links.ts';
import { metaRoutes } from './routes/meta.ts';
import { operationsRoutes } from './routes/operations.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { createOperationsStore } from './store/operations.ts';
import type { Db } from './store/store.ts';
import { securityHeaders } from './security-headers.ts';
import { mountStatic } from './static.ts';

export interface AppDeps {
  config: Pick<AppConfig, 'belvo' | 'staticDir' | 'webhookAuthorization'>;
  belvo: BelvoClient;
  clock: Clock;
  logger: Logger;
  db: Db;
  events?: EventBus;
  /** The in-process simulator's control surface, when Linkdesk runs against it. */
  simControl?: (request: Request) => Promise<Response>;
}

/** Which methods each proxied Belvo path allows; anything else is 404/405 and never leaves. */
const apiAllowList: { pattern: RegExp; methods: string[] }[] = [
  { pattern: /^\/api\/links\/$/, methods: ['GET', 'POST', 'PATCH'] },
  { pattern: /^\/api\/links\/[^/]+\/$/, methods: ['GET', 'DELETE'] },
  { pattern: /^\/api\/links\/[^/]+\/refresh\/$/, methods: ['POST'] },
];

/** Builds the Linkdesk HTTP app. It never listens and never reads the environment. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ strict: true });
  const events = deps.events ?? createEventBus();
  const operations = createOperationsStore(deps.db, deps.clock);
  const inFlight = createInFlight();
  const sessions = createMfaSessions(deps.clock);

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('logger', deps.logger);
    await next();
    const url = new URL(c.req.url);
    if (url.pathname.startsWith('/assets/')) return;
    deps.logger.info(
      {
        method: c.req.method,
        path: url.pathname,
        query: url.search || undefined,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        belvo_request_id: c.get('belvoRequestId'),
        request_id: c.get('linkdeskRequestId'),
      },
      'request',
    );
  });
  app.use('*', securityHeaders({ https: false }));

  app.route('/api', linksRoutes({ belvo: deps.belvo }));
  app.route('/api', linkActionsRoutes({ belvo: deps.belvo, operations, events, clock: deps.clock, inFlight, sessions }));
  app.route('/api', linkMfaRoutes({ belvo: deps.belvo, mode: deps.config.belvo.mode, operations, events, clock: deps.clock, inFlight, sessions }));
  app.all('/api/*', (c) => {
    const path = new URL(c.req.url).pathname;
    const route = apiAllowList.find((candidate) => candidate.pattern.test(path));
    if (route) {
      return errorResponse(
        c,
        405,
        [{ code: 'method_not_allowed', message: `${c.req.method} is not allowed on ${path}. Allowed: ${route.methods.join(', ')}.` }],
        { allow: route.methods.join(', ') },
      );
    }
    return errorResponse(c, 404, [
      {
        code: 'not_found',
        message: `Linkdesk does not forward ${path} to Belvo. It forwards only the links endpoints (list, detail, delete, refresh); Belvo paths end with a slash, e.g. /api/links/.`,
      },
    ]);
  });

  app.route('/bff', metaRoutes(deps));
  app.route('/bff', operationsRoutes({ operations, events, clock: deps.clock }));
  app.all('/bff/*', (c) => errorResponse(c, 404, [{ code: 'not_found', message: `There is no Linkdesk endpoint at ${new URL(c.req.url).pathname}.` }]));

  app.route('/webhooks', webhookRoutes({ authorization: deps.config.webhookAuthorization, operations, events, clock: deps.clock }));
  app.all('/webhooks/*', (c) => errorResponse(c, 404, [{ code: 'not_found', message: 'Belvo webhooks go to POST /webhooks/belvo.' }]));

  if (deps.config.staticDir) mountStatic(app, deps.config.staticDir);

  app.notFound((c) => errorResponse(c, 404, [{ code: 'not_found', message: 'Not found.' }]));
  app.onError((error, c) => {
    const response = errorResponse(c, 500, [
      { code: 'linkdesk_error', message: 'Linkdesk hit an unexpected error. Nothing was sent to Belvo; try again, and report the request_id if it repeats.' },
    ]);
    deps.logger.error({ err: { name: error.name, message: error.message, stack: error.stack }, request_id: c.get('linkdeskRequestId') }, 'unhandled error');
    return response;
  });
  return app;
}
export type LinkdeskApp = ReturnType<typeof createApp>;
