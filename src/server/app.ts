import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Clock } from '../contract/clock.ts';
import type { AppEnv } from './app-env.ts';
import { defaultAllowedHosts, hostGuard } from './auth/allowed-hosts.ts';
import { accessGuard, csrfGuard } from './auth/middleware.ts';
import { deviceCookie } from './auth/device-cookie.ts';
import { sessionCookie } from './auth/session-cookie.ts';
import type { BelvoClient } from './belvo/client.ts';
import type { AppConfig } from './config.ts';
import { errorResponse } from './errors.ts';
import type { EventBus } from './events.ts';
import type { Logger } from './logger.ts';
import { auditRoutes } from './routes/audit.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { linkIndexRoutes } from './routes/link-index.ts';
import { linkActionsRoutes } from './routes/link-actions.ts';
import { linkRegistrationRoutes } from './routes/link-registration.ts';
import { linkReconnectRoutes } from './routes/link-reconnect.ts';
import { linksRoutes } from './routes/links.ts';
import { metaRoutes } from './routes/meta.ts';
import { oidcRoutes } from './routes/oidc.ts';
import { operationsRoutes } from './routes/operations.ts';
import { sessionRoutes } from './routes/session.ts';
import { userRoutes } from './routes/users.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { compression } from './compression.ts';
import { noStore, securityHeaders } from './security-headers.ts';
import { mountStatic } from './static.ts';
import type { OidcSignIn } from './services/oidc-sign-in.ts';
import type { Services } from './services/services.ts';
import { signInLimits } from './services/sign-in-throttle.ts';
import type { Stores } from './store/stores.ts';

export interface AppDeps {
  config: Pick<AppConfig, 'belvo' | 'staticDir' | 'webhookAuthorization' | 'publicOrigin'> & { allowedHosts?: string[] } & Partial<Pick<AppConfig, 'localSignIn'>>;
  belvo: BelvoClient;
  clock: Clock;
  logger: Logger;
  /** Built by `createStores(db, clock, keys)`; the app never opens or closes the database. */
  stores: Stores;
  /** Built by `createServices(...)` over the same stores and events. */
  services: Services;
  events: EventBus;
  /** The in-process simulator's control surface, when Linkdesk runs against it. */
  simControl?: (request: Request) => Promise<Response>;
  /** The client's address, for sign-in throttling (the socket's, unless a trusted proxy says otherwise). */
  clientAddress?: (c: Context) => string;
  /** Sign-in through the company's identity provider, when LINKDESK_OIDC_ISSUER is set. */
  oidcSignIn?: OidcSignIn | null;
}

/** Which methods each proxied Belvo path allows; anything else is 404/405 and never leaves. */
const apiAllowList: { pattern: RegExp; methods: string[] }[] = [
  { pattern: /^\/api\/links\/$/, methods: ['GET', 'POST', 'PATCH'] },
  { pattern: /^\/api\/links\/[^/]+\/$/, methods: ['GET', 'PATCH', 'DELETE'] },
  { pattern: /^\/api\/links\/[^/]+\/refresh\/$/, methods: ['POST'] },
];

/** Builds the Linkdesk HTTP app. It never listens and never reads the environment. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>({ strict: true });
  const { clock, events } = deps;
  const { operations, users, sessions, audit } = deps.stores;
  const { linkOperations, userAdmin, webhookIntake, signInThrottle, linkIndex, bulkJobs } = deps.services;
  const mode = deps.config.belvo.mode;
  const secure = deps.config.publicOrigin?.startsWith('https://') ?? false;
  const cookie = sessionCookie(secure);
  const clientAddress = deps.clientAddress ?? (() => 'unknown');
  const devices = deviceCookie(secure, signInLimits.deviceLifetimeMs);
  const allowedHosts = deps.config.allowedHosts ?? defaultAllowedHosts;

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const path = c.req.path;
    if (path.startsWith('/assets/')) return;
    // No URL parse on this path: every request passes here.
    const queryAt = c.req.url.indexOf('?');
    deps.logger.info(
      {
        method: c.req.method,
        path,
        // Never logged: the provider's redirect back carries the authorization code; a widget access
        // token travels in a query (the simulator's widget page).
        query:
          queryAt === -1 ? undefined : path === '/bff/oidc/callback' ? '(redacted)' : c.req.url.slice(queryAt).replace(/access_token=[^&]*/g, 'access_token=[redacted]'),
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 100) / 100,
        user: c.get('user')?.username,
        belvo_request_id: c.get('belvoRequestId'),
        request_id: c.get('linkdeskRequestId'),
      },
      'request',
    );
  });
  app.use('*', securityHeaders({ https: secure }));
  app.use('*', compression());
  app.use('/api/*', noStore());
  app.use('/bff/*', noStore());
  app.use('*', hostGuard(allowedHosts));
  // Order matters: a forged request is refused before anyone is looked up, and nobody without the
  // right role reaches a route that could call Belvo.
  app.use('*', csrfGuard({ publicOrigin: deps.config.publicOrigin, allowedHosts }));
  app.use('*', accessGuard({ sessions, cookie, mode, audit }));
  // No endpoint of ours takes more than a few KiB; this caps the rest (routes set tighter limits).
  for (const prefix of ['/api/*', '/bff/*']) {
    app.use(
      prefix,
      bodyLimit({ maxSize: 64 * 1024, onError: (c) => errorResponse(c, 413, [{ code: 'payload_too_large', message: 'The body is larger than 64 KiB; no Linkdesk endpoint takes that much.' }]) }),
    );
  }

  app.route('/api', linksRoutes({ belvo: deps.belvo }));
  app.route('/api', linkActionsRoutes({ linkOperations }));
  app.route('/api', linkRegistrationRoutes({ linkOperations }));
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
        message: `Linkdesk does not forward ${path.slice(0, 200)} to Belvo. It forwards only the links endpoints (list, detail, register, resume, access mode, delete, refresh); Belvo paths end with a slash, e.g. /api/links/.`,
      },
    ]);
  });

  app.route('/', linkReconnectRoutes({ linkOperations, belvo: deps.belvo, mode, publicOrigin: deps.config.publicOrigin }));
  const oidcSignIn = deps.oidcSignIn ?? null;
  const localSignIn = deps.config.localSignIn ?? true;
  app.route(
    '/bff',
    sessionRoutes({
      clock,
      users,
      sessions,
      cookie,
      deviceCookie: devices,
      audit,
      mode,
      clientAddress,
      throttle: signInThrottle,
      localSignIn,
      endSessionUrl: oidcSignIn ? (token) => oidcSignIn.endSessionUrl(token) : undefined,
    }),
  );
  app.route('/bff', oidcRoutes({ oidcSignIn, localSignIn, cookie, secure, clientAddress }));
  app.route('/bff', metaRoutes(deps));
  app.route('/bff', operationsRoutes({ operations, events, clock }));
  app.route('/bff', auditRoutes({ audit }));
  app.route('/bff', userRoutes({ users, userAdmin }));
  app.route('/bff', linkIndexRoutes({ linkIndex }));
  app.route('/bff', healthRoutes({ linkIndex }));
  app.route('/bff', jobRoutes({ bulkJobs, mode }));
  app.all('/bff/*', (c) => errorResponse(c, 404, [{ code: 'not_found', message: `There is no Linkdesk endpoint at ${new URL(c.req.url).pathname.slice(0, 200)}.` }]));

  app.route('/webhooks', webhookRoutes({ authorization: deps.config.webhookAuthorization, webhookIntake }));
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
