import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createSystemClock } from '../contract/clock.ts';
import { createBelvoSim, defaultSimCredentials } from '../belvo-sim/create-belvo-sim.ts';
import { createApp } from './app.ts';
import { createBelvoClient } from './belvo/client.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createEventBus } from './events.ts';
import { createLogger } from './logger.ts';
import { createOidcSignIn } from './services/oidc-sign-in.ts';
import { createServices } from './services/services.ts';
import { openDatabase } from './store/database.ts';
import { createStores } from './store/stores.ts';
import { generatePassword, roles, type UserStore } from './store/users.ts';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
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

  let belvoFetch: typeof fetch | undefined;
  let simControl: ((request: Request) => Promise<Response>) | undefined;
  let closeSim = () => {};
  let app: ReturnType<typeof createApp> | undefined;
  if (config.belvo.mode === 'simulator') {
    const webhookAuthorization = config.webhookAuthorization ?? `Bearer ${randomBytes(24).toString('base64url')}`;
    config = { ...config, webhookAuthorization, belvo: { ...config.belvo, ...defaultSimCredentials } };
    const sim = createBelvoSim({
      clock,
      ticker: true,
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

  const belvo = createBelvoClient({
    baseUrl: config.belvo.baseUrl,
    secretId: config.belvo.secretId,
    secretPassword: config.belvo.secretPassword,
    fetch: belvoFetch,
    timeoutMs: config.belvo.timeoutMs,
  });
  const db = openDatabase(join(config.dataDir, 'linkdesk.sqlite'));
  const stores = createStores(db, clock);
  const events = createEventBus();
  const services = createServices({ belvo, clock, stores, events });
  const trustProxy = config.trustProxy;
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
      const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
      try {
        return forwarded || getConnInfo(c).remote.address || 'unknown';
      } catch {
        return 'unknown';
      }
    },
  });
  const accounts = await ensureFirstAccounts(stores.users, config.belvo.mode);

  const server: ServerType = await new Promise((resolve) => {
    const listening = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(listening));
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
  console.log(`Linkdesk listening on ${url}\n${belvoLine}\n${accounts}${ssoLine}`);
  logger.info({ url, belvo_mode: config.belvo.mode, belvo_base_url: config.belvo.baseUrl }, 'listening');

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        closeSim();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}

/**
 * On the simulator, a first start creates one demo account per role and prints the passwords this
 * once. Against real Belvo nobody is created: the operator makes the first admin with the CLI.
 */
async function ensureFirstAccounts(users: UserStore, mode: string): Promise<string> {
  if (users.count() > 0) return `Staff accounts: ${users.count()} (manage them with npm run user -- list).`;
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
