import { hash } from '@node-rs/argon2';
import { Writable } from 'node:stream';
import { createManualClock, type ManualClock } from '../../src/contract/clock.ts';
import { createBelvoSim, defaultSimAuthorization, defaultSimCredentials, type BelvoSimOptions } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createApp, type AppDeps } from '../../src/server/app.ts';
import { createIndexSync } from '../../src/server/background/index-sync.ts';
import { createJobRunner } from '../../src/server/background/job-runner.ts';
import { createBelvoClient } from '../../src/server/belvo/client.ts';
import { createRateLimiter, withRateLimit } from '../../src/server/belvo/rate-limiter.ts';
import { defaultIndexConfig, type AppConfig, type OidcConfig, type RateLimitConfig } from '../../src/server/config.ts';
import { createEventBus } from '../../src/server/events.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createOidcSignIn } from '../../src/server/services/oidc-sign-in.ts';
import { createServices } from '../../src/server/services/services.ts';
import { openDatabase, type Db } from '../../src/server/store/database.ts';
import { createStores } from '../../src/server/store/stores.ts';
import { roles, type Role } from '../../src/server/store/users.ts';
import { freshDatabase, type Backend } from './postgres.ts';

export const testWebhookAuthorization = 'Bearer test-webhook-secret-0123456789';
/** Every test account's password (hashed once per test file, not per test). */
export const testPassword = 'correct-horse-battery-staple';
/** The audit chain's key in tests (Linkdesk reads it from outside the database). */
export const testAuditKey = Buffer.alloc(32, 7);
let testPasswordHash: Promise<string> | undefined;

/**
 * The real proxy wired to the real simulator, in-process, on a manual clock. Every server and
 * component test talks to this one Belvo; none carries its own copy of Belvo's behaviour. One staff
 * account per role exists (username = role); `request` acts as admin unless told otherwise.
 */
export async function createTestStack(
  options: {
    sim?: BelvoSimOptions;
    clock?: ManualClock;
    mode?: AppConfig['belvo']['mode'];
    timeoutMs?: number;
    db?: Db;
    /** A fresh database of this kind when no `db` is given: SQLite in memory (the default) or one in the test PostgreSQL cluster. */
    backend?: Backend;
    publicOrigin?: string;
    /**
     * The shared Belvo rate limit. Tests default to a roomy one: the manual clock does not move on
     * its own, so 80 requests in one test would otherwise wait forever. Tests of the limit pass their own.
     */
    rateLimit?: RateLimitConfig;
    index?: Partial<AppConfig['index']>;
    /** Runs before each request reaches the simulator (to change Belvo's data mid-sync). */
    beforeBelvo?: (request: Request) => void | Promise<void>;
    allowedHosts?: string[];
    /** How the app learns the client's address; by default the test's `x-test-client-address` header. */
    clientAddress?: AppDeps['clientAddress'];
    /** Sign-in through this OpenID Connect provider, with http://linkdesk.test as Linkdesk's origin. */
    oidc?: OidcConfig;
    localSignIn?: boolean;
    /** The most links a bulk job may hold. */
    maxLinksPerJob?: number;
  } = {},
) {
  const clock = options.clock ?? createManualClock();
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  let app: ReturnType<typeof createApp> | undefined;
  const sim = createBelvoSim({
    clock,
    ticker: false,
    webhook: { url: 'http://linkdesk.test/webhooks/belvo', authorization: testWebhookAuthorization },
    fetch: async (input, init) => {
      if (!app) throw new TypeError('fetch failed');
      return app.fetch(new Request(input, init));
    },
    ...options.sim,
  });
  const belvoCalls: Request[] = [];
  const config = {
    belvo: {
      mode: options.mode ?? ('simulator' as const),
      baseUrl: 'http://belvo-sim.test',
      secretId: defaultSimCredentials.secretId,
      secretPassword: defaultSimCredentials.secretPassword,
      timeoutMs: options.timeoutMs ?? 5_000,
    },
    webhookAuthorization: testWebhookAuthorization,
    staticDir: null,
    publicOrigin: options.publicOrigin ?? null,
    allowedHosts: options.allowedHosts,
    localSignIn: options.localSignIn ?? true,
  };
  const rateLimit = options.rateLimit ?? { limit: 100_000, windowMs: 30_000, reserveForInteractive: 20 };
  const limiter = createRateLimiter({ clock, ...rateLimit });
  // One rate-limited client for every caller, as in run-server.ts.
  const belvo = withRateLimit(
    createBelvoClient({
      ...config.belvo,
      fetch: async (input, init) => {
        belvoCalls.push(new Request(input, init));
        await options.beforeBelvo?.(new Request(input, init));
        return sim.fetch(input, init);
      },
    }),
    limiter,
    clock,
  );
  // A PostgreSQL database made here is dropped by close().
  const fresh = !options.db && options.backend === 'postgres' ? await freshDatabase('postgres') : null;
  const db = options.db ?? (fresh ? await fresh.connect() : await openDatabase(':memory:'));
  const stores = createStores(db, clock, { auditKey: testAuditKey });
  const events = createEventBus();
  const index = { ...defaultIndexConfig, ...options.index };
  // Built, not started: a test runs a sync when it chooses (indexSync.syncNow(), or POST /bff/index/sync).
  const indexSync = createIndexSync({ belvo, store: stores.linkIndex, clock, logger, intervalMs: index.syncIntervalMs, incrementalMs: index.incrementalIntervalMs });
  const services = createServices({
    belvo,
    clock,
    stores,
    events,
    logger,
    indexSync,
    index,
    mode: config.belvo.mode,
    rateLimit,
    jobs: options.maxLinksPerJob ? { maxLinksPerJob: options.maxLinksPerJob } : undefined,
  });
  // Built, not started: a test starts it (jobRunner.start()) when it wants jobs to run.
  const jobRunner = createJobRunner({ bulkJobs: services.bulkJobs, events, clock, logger });
  // The simulator's controls, as run-server.ts wires them when Linkdesk runs on the simulator.
  const simControl = config.belvo.mode === 'simulator' ? sim.control : undefined;
  const oidcSignIn = options.oidc
    ? createOidcSignIn({ config: options.oidc, clock, oidc: stores.oidc, sessions: stores.sessions, audit: stores.audit, logger, origin: () => options.publicOrigin ?? 'http://linkdesk.test' })
    : null;
  app = createApp({
    config,
    belvo,
    clock,
    logger,
    stores,
    services,
    events,
    simControl,
    oidcSignIn,
    clientAddress: options.clientAddress ?? ((c) => c.req.header('x-test-client-address') ?? '127.0.0.1'),
  });

  testPasswordHash ??= hash(testPassword);
  const passwordHash = await testPasswordHash;
  const tokens = {} as Record<Role, string>;
  for (const role of roles) {
    const existing = await stores.users.byUsername(role);
    const id =
      existing?.id ??
      Number(
        (
          await db
            .insertInto('users')
            .values({ username: role, password_hash: passwordHash, role, created_at: clock.now(), updated_at: clock.now() })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
    tokens[role] = (await stores.sessions.create(id)).token;
  }
  const cookieName = options.publicOrigin?.startsWith('https://') ? '__Host-linkdesk_session' : 'linkdesk_session';
  const cookieFor = (role: Role) => `${cookieName}=${tokens[role]}`;

  const send = (role: Role | null, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (role && !headers.has('cookie')) headers.set('cookie', cookieFor(role));
    const method = (init.method ?? 'GET').toUpperCase();
    if (!['GET', 'HEAD'].includes(method) && !headers.has('x-linkdesk-csrf')) headers.set('x-linkdesk-csrf', '1');
    return app.request(path, { ...init, headers });
  };

  return {
    app,
    sim,
    clock,
    belvoCalls,
    logLines,
    db,
    /** The same stores the app was given, for arranging and checking state. */
    stores,
    /** The same services the routes call, for driving them without HTTP. */
    services,
    /** The rate-limited Belvo client every caller shares (to build a second process over the same database). */
    belvoClient: belvo,
    logger,
    events,
    limiter,
    /** The link index's sync; not started (see above). */
    indexSync,
    /** The bulk job runner; not started (see above). */
    jobRunner,
    tokens,
    cookieFor,
    /** Calls the proxy as the SPA would, signed in as admin, with the CSRF header on writes. */
    request: (path: string, init: RequestInit = {}) => send('admin', path, init),
    /** The same, as another role. */
    as: (role: Role) => (path: string, init: RequestInit = {}) => send(role, path, init),
    /** No session at all (the CSRF header is still added on writes unless given). */
    anonymous: (path: string, init: RequestInit = {}) => send(null, path, init),
    /** Calls the simulator directly, with valid keys, as a Belvo client would. */
    belvo(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', defaultSimAuthorization);
      return sim.fetch(new Request(new URL(path, 'http://belvo-sim.test'), { ...init, headers }));
    },
    async close() {
      const stopped = indexSync.stop();
      // Not awaited: a job item may be waiting for a rate-limit slot that the manual clock never frees.
      void jobRunner.stop();
      services.bulkJobs.close();
      services.linkIndex.close();
      sim.close();
      if (fresh) {
        await stopped;
        await services.linkIndex.settled();
        await fresh.drop();
      } else void stopped;
    },
  };
}
export type TestStack = Awaited<ReturnType<typeof createTestStack>>;
