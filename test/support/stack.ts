import { Writable } from 'node:stream';
import { createManualClock, type ManualClock } from '../../src/contract/clock.ts';
import { createBelvoSim, defaultSimCredentials, type BelvoSimOptions } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createApp } from '../../src/server/app.ts';
import { createBelvoClient } from '../../src/server/belvo/client.ts';
import type { AppConfig } from '../../src/server/config.ts';
import { createLogger } from '../../src/server/logger.ts';
import { openDatabase, type Db } from '../../src/server/store/store.ts';

export const testWebhookAuthorization = 'Bearer test-webhook-secret-0123456789';

/**
 * The real proxy wired to the real simulator, in-process, on a manual clock. Every server and
 * component test talks to this one Belvo; none carries its own copy of Belvo's behaviour.
 */
export function createTestStack(
  options: { sim?: BelvoSimOptions; clock?: ManualClock; mode?: AppConfig['belvo']['mode']; timeoutMs?: number; db?: Db } = {},
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
  };
  const belvo = createBelvoClient({
    ...config.belvo,
    fetch: async (input, init) => {
      belvoCalls.push(new Request(input, init));
      return sim.fetch(input, init);
    },
  });
  const db = options.db ?? openDatabase(':memory:');
  app = createApp({ config, belvo, clock, logger, db });

  return {
    app,
    sim,
    clock,
    belvoCalls,
    logLines,
    db,
    /** Calls the proxy the way the SPA would. */
    request(path: string, init: RequestInit = {}) {
      return app.request(path, init);
    },
    /** Calls the simulator directly, with valid keys, as a Belvo client would. */
    belvo(path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) {
        headers.set(
          'authorization',
          `Basic ${Buffer.from(`${defaultSimCredentials.secretId}:${defaultSimCredentials.secretPassword}`).toString('base64')}`,
        );
      }
      return sim.fetch(new Request(new URL(path, 'http://belvo-sim.test'), { ...init, headers }));
    },
    close() {
      sim.close();
    },
  };
}
export type TestStack = ReturnType<typeof createTestStack>;
