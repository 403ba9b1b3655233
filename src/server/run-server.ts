import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createSystemClock } from '../contract/clock.ts';
import { createBelvoSim, defaultSimCredentials } from '../belvo-sim/create-belvo-sim.ts';
import { createApp } from './app.ts';
import { clientAddressFrom } from './auth/client-address.ts';
import { createJobRunner } from './background/job-runner.ts';
import { startReconciliation } from './background/reconcile.ts';
import { createBelvoClient } from './belvo/client.ts';
import { createIndexSync } from './background/index-sync.ts';
import { holdLease } from './background/lease.ts';
import { createRateLimiter, createSharedRateLimiter, withRateLimit } from './belvo/rate-limiter.ts';
import { ConfigError, databaseLocation, loadConfig } from './config.ts';
import { createEventBus } from './events.ts';
import { createPostgresFanOut, listenerName } from './events-postgres.ts';
import { createLogger, type Logger } from './logger.ts';
import { createOidcSignIn } from './services/oidc-sign-in.ts';
import { createServices } from './services/services.ts';
import { createFileCheckpoint, loadAuditKey } from './store/audit-key.ts';
import { databaseKind, openDatabase, redactDatabaseUrl, type Db } from './store/database.ts';
import { createLeaseStore } from './store/leases.ts';
import { createUpstreamWindowStore } from './store/upstream-window.ts';
import { createStores } from './store/stores.ts';
import { generatePassword, roles, type UserStore } from './store/users.ts';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * The composition root: reads the configuration once, builds every dependency, listens.
 * With no Belvo keys it runs the simulator in-process and says so.
 */
export async function runServer(env: Record<string, string | undefined>, options: { staticDir?: string | null } = {}): Promise<RunningServer> {
  let config;
  try {
    config = loadConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const clock = createSystemClock();
  const auditKey = loadAuditKey({ key: config.auditKey, file: config.auditKeyFile });
  const location = databaseLocation(config);
  let db: Db;
  try {
    db = await openDatabase(location);
  } catch (error) {
    // The message names the database with its password redacted (see openDatabase).
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }

  let belvoFetch: typeof fetch | undefined;
  let simControl: ((request: Request) => Promise<Response>) | undefined;
  let closeSim = () => {};
  let app: ReturnType<typeof createApp> | undefined;
  if (config.belvo.mode === 'simulator') {
    const webhookAuthorization = config.webhookAuthorization ?? `Bearer ${randomBytes(24).toString('base64url')}`;
    config = { ...config, webhookAuthorization, belvo: { ...config.belvo, ...defaultSimCredentials } };
    const sim = createBelvoSim({
      // Its own clock: a qa user moving the simulator's time must not move Linkdesk's (sessions,
      // cooldowns, audit times).
      clock: createSystemClock(),
      ticker: true,
      linkCount: config.simulator.links,
      pageLatencyMs: config.simulator.pageLatencyMs,
      recurrentFailuresPerDay: config.simulator.recurrentFailuresPerDay,
      webhook: { url: 'http://linkdesk.internal/webhooks/belvo', authorization: webhookAuthorization },
      fetch: async (input, init) => {
        if (!app) throw new TypeError('fetch failed: Linkdesk is not ready for webhooks yet');
        return app.fetch(new Request(input, init));
      },
    });
    belvoFetch = sim.fetch;
    simControl = sim.control;
    closeSim = () => sim.close();
  }

  // Several instances may share a PostgreSQL database; a SQLite file has one (the CLI runs no
  // background work), so with SQLite the id is fixed and the lease is this process's at once, even
  // right after a kill -9 left the previous one's row behind.
  const shared = databaseKind(db) === 'postgres';
  const instance = shared ? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}` : 'local';
  // Every caller (the console's proxy, the index sync, later bulk jobs) shares this one client and
  // so one rate limit toward Belvo.
  const belvo = withRateLimit(
    createBelvoClient({
      baseUrl: config.belvo.baseUrl,
      secretId: config.belvo.secretId,
      secretPassword: config.belvo.secretPassword,
      fetch: belvoFetch,
      timeoutMs: config.belvo.timeoutMs,
    }),
    // On PostgreSQL other instances may share the database, and so the budget: its window is there.
    shared ? createSharedRateLimiter({ clock, ...config.rateLimit, window: createUpstreamWindowStore(db) }) : createRateLimiter({ clock, ...config.rateLimit }),
    clock,
  );
  // An action this instance has in flight is its own while its event listener's connection lives
  // (see services/in-flight.ts): another instance takes it over as soon as this process dies.
  const stores = createStores(db, clock, {
    auditKey,
    auditCheckpoint: createFileCheckpoint(join(config.dataDir, 'audit.head')),
    flightOwner: shared ? listenerName(instance) : undefined,
  });
  const fanOut = shared ? createPostgresFanOut({ url: location, db, instance, logger }) : null;
  // Every instance on one database must chain the audit log with the same key (LINKDESK_AUDIT_KEY,
  // or the same key file): one with its own would break the chain for all at its first entry.
  if (shared && !(await stores.audit.keyFits())) {
    console.error(
      `The audit log on ${redactDatabaseUrl(location)} was written with another audit key. Give every instance on this database the same LINKDESK_AUDIT_KEY (or the same LINKDESK_AUDIT_KEY_FILE).`,
    );
    process.exit(1);
  }
  const events = createEventBus({ relay: fanOut ?? undefined });
  if (fanOut) {
    try {
      await fanOut.listen((hint) => events.receive(hint));
    } catch (error) {
      console.error(`Could not listen for live updates on ${redactDatabaseUrl(location)}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  }
  // Background work: started once Linkdesk listens, stopped before the database closes.
  const indexSync = createIndexSync({
    belvo,
    store: stores.linkIndex,
    clock,
    logger,
    intervalMs: config.index.syncIntervalMs,
    incrementalMs: config.index.incrementalIntervalMs,
    sharedRequestPollMs: shared ? 5_000 : undefined,
  });
  const services = createServices({ belvo, clock, stores, events, logger, indexSync, index: config.index, mode: config.belvo.mode, rateLimit: config.rateLimit, jobs: config.jobs });
  const hops = config.trustedProxyHops;
  // The redirect URI's origin: the public one, or the listen address once the port is known.
  let listenOrigin = '';
  const oidcSignIn = config.oidc
    ? createOidcSignIn({ config: config.oidc, clock, oidc: stores.oidc, sessions: stores.sessions, audit: stores.audit, logger, origin: () => config.publicOrigin ?? listenOrigin })
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
    clientAddress: (c) => {
      let socket: string | undefined;
      try {
        socket = getConnInfo(c).remote.address;
      } catch {
        socket = undefined;
      }
      return clientAddressFrom(socket, c.req.header('x-forwarded-for'), hops);
    },
  });
  const accounts = await ensureFirstAccounts(stores.users, config.belvo.mode, config.localSignIn);

  const server: ServerType = await new Promise((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(listening));
  });
  // Open actions older than this are left by a dead process. With other instances serving people
  // meanwhile, an action may be open on a live one for as long as it can wait for a rate-limit slot
  // and then for Belvo: the grace covers both, twice.
  const reconcileGraceMs = shared ? Math.max(30_000, 2 * (config.belvo.timeoutMs + config.rateLimit.windowMs)) : undefined;
  // Background work runs on the one instance holding the lease: the index sync, bulk jobs (those a
  // previous holder left running resume), and at each take-over the actions a killed process left
  // without an outcome (ask Belvo, record what it says).
  const background = holdLease({
    leases: createLeaseStore(db),
    name: 'background',
    holder: instance,
    clock,
    logger,
    work: () => {
      let reconciliation: ReturnType<typeof startReconciliation> | null = null;
      const jobRunner = createJobRunner({ bulkJobs: services.bulkJobs, events, clock, logger });
      return {
        start() {
          reconciliation = startReconciliation({ reconciliation: services.actionReconciliation, clock, logger, graceMs: reconcileGraceMs });
          indexSync.start();
          jobRunner.start();
        },
        // A sync stops after its current page, keeping its cursor; a bulk job after its items in
        // flight have their answers recorded (the rest stay queued for whoever runs them next).
        async stop() {
          await Promise.all([reconciliation?.stop(), indexSync.stop(), jobRunner.stop()]);
        },
      };
    },
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  listenOrigin = url;
  // Not awaited for long: a provider that is down must not keep Linkdesk from starting.
  const ssoLine = oidcSignIn
    ? (await oidcSignIn.discover())
      ? `\nSign-in: ${config.localSignIn ? 'local accounts and ' : ''}${oidcSignIn.displayName} (${oidcSignIn.issuer}); redirect URI ${config.publicOrigin ?? url}/bff/oidc/callback`
      : `\nSign-in: ${oidcSignIn.issuer} did not answer discovery; Linkdesk retries when someone signs in with it.${config.localSignIn ? ' Local accounts work.' : ''}`
    : '';
  const belvoLine =
    config.belvo.mode === 'simulator'
      ? 'Belvo: the built-in simulator (no BELVO_SECRET_ID set). Simulator — not Belvo.'
      : `Belvo: ${config.belvo.mode} at ${config.belvo.baseUrl}`;
  const instanceLine = shared ? `\nInstance ${instance} on ${redactDatabaseUrl(location)}: background work runs on whichever instance holds the lease.` : '';
  console.log(`Linkdesk listening on ${url}\n${belvoLine}\n${accounts}${ssoLine}${instanceLine}`);
  logger.info({ url, belvo_mode: config.belvo.mode, belvo_base_url: config.belvo.baseUrl, database: redactDatabaseUrl(location), instance }, 'listening');

  return {
    url,
    logger,
    close: () =>
      new Promise<void>((resolve) => {
        // The database closes last: background work stops at a safe point first (a sync after its
        // current page, keeping its cursor; a reconciliation in progress finishes), then the lease
        // is given up so another instance takes over at once.
        const stopped = background.stop();
        closeSim();
        // Refusals still counting go to the audit log now rather than being lost.
        const refusalsAudited = services.signInThrottle.auditRefusals(true).catch((error: unknown) => {
          logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not audit the sign-in refusals at shutdown');
        });
        void stopped.finally(() =>
          server.close(() => {
            void Promise.allSettled([refusalsAudited, fanOut?.close()]).then(() => db.destroy().finally(resolve));
          }),
        );
        // Open event streams would hold the close forever: idle sockets now, the rest after 2 s.
        const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        http.closeIdleConnections?.();
        setTimeout(() => http.closeAllConnections?.(), 2_000).unref();
      }),
  };
}

/**
 * On the simulator, a first start creates one demo account per role and prints the passwords this
 * once (not when local sign-in is off: nobody could use them). Against real Belvo nobody is
 * created: the operator makes the first admin with the CLI.
 */
async function ensureFirstAccounts(users: UserStore, mode: string, localSignIn: boolean): Promise<string> {
  const count = await users.count();
  if (count > 0) return `Staff accounts: ${count} (manage them with npm run user -- list).`;
  // Passwords nobody could use would only be secrets on a screen; SSO people are made at sign-in.
  if (!localSignIn) return 'No staff accounts yet; people who sign in with the provider are added with the role their claim maps to.';
  if (mode !== 'simulator') {
    return 'No staff accounts yet. Create the first admin:\n  npm run user -- add <username> --role admin';
  }
  const lines = ['Demo accounts for the simulator (shown only now; reset with npm run user -- reset-password <name>):'];
  for (const role of roles) {
    const password = generatePassword(role);
    await users.add(role, password, role);
    lines.push(`  ${role.padEnd(8)} ${password}`);
  }
  return lines.join('\n');
}
