import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Agent, request } from 'undici';
import { defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createSystemClock } from '../../src/contract/clock.ts';
import { createSharedRateLimiter } from '../../src/server/belvo/rate-limiter.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { createUpstreamWindowStore } from '../../src/server/store/upstream-window.ts';
import { startThrowawayCluster } from '../support/postgres-setup.ts';
import { median, percentile, startProcess } from './proxy-overhead.ts';

const root = resolve(import.meta.dirname, '../..');

export interface BackendNumbers {
  medianMs: number;
  p95Ms: number;
  /** Median of (this request − the simulator's own answer to the same request, asked just before). */
  addedMedianMs: number;
  /** Requests per second with `concurrency` clients for `seconds`. */
  throughput: number;
}

/**
 * The proxy on SQLite against the proxy on PostgreSQL, side by side: two Linkdesk processes
 * (start-api.ts) in front of one standalone simulator, one on a SQLite file and one on a database
 * in a throwaway PostgreSQL cluster, with rounds interleaved so both see the same machine. Each
 * request is a signed-in viewer's `GET /api/links/?page_size=100`: the session lookup and, on
 * PostgreSQL, the shared rate window's reservation are in the path. Then throughput with
 * `concurrency` clients, and the reservation alone (what the shared rate limit adds per request).
 * Null when no PostgreSQL is installed.
 */
export async function measurePostgres(options: { iterations?: number; warmup?: number; concurrency?: number; seconds?: number } = {}) {
  const iterations = options.iterations ?? 2000;
  const warmup = options.warmup ?? 300;
  const concurrency = options.concurrency ?? 16;
  const seconds = options.seconds ?? 5;
  const cluster = await startThrowawayCluster();
  if (!cluster) return null;
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  try {
    const name = `linkdesk_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const databaseUrl = cluster.url.replace(/\/[^/]*$/, `/${name}`);
    const auditKey = randomBytes(32).toString('hex');
    const password = 'a measuring passphrase, long enough';
    const sqliteData = mkdtempSync(join(tmpdir(), 'linkdesk-bench-sqlite-'));
    const postgresData = mkdtempSync(join(tmpdir(), 'linkdesk-bench-pg-'));
    dirs.push(sqliteData, postgresData);
    const base = { LINKDESK_AUDIT_KEY: auditKey, PATH: process.env.PATH ?? '' };
    for (const env of [{ ...base, LINKDESK_DATA_DIR: sqliteData }, { ...base, LINKDESK_DATA_DIR: postgresData, LINKDESK_DATABASE_URL: databaseUrl }]) {
      const added = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/user.ts', 'add', 'bench', '--role', 'viewer', '--password-stdin'], {
        cwd: root,
        env,
        input: `${password}\n`,
        encoding: 'utf8',
      });
      if (added.status !== 0) throw new Error(`could not create the bench account: ${added.stderr}`);
    }
    const sim = await startProcess(['src/belvo-sim/main.ts'], { BELVO_SIM_PORT: '0' }, /listening on (http:\/\/\S+)/);
    children.push(sim.child);
    const linkdeskEnv = {
      PORT: '0',
      BELVO_SECRET_ID: defaultSimCredentials.secretId,
      BELVO_SECRET_PASSWORD: defaultSimCredentials.secretPassword,
      BELVO_BASE_URL: sim.url,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      LINKDESK_AUDIT_KEY: auditKey,
      // The proxy's own cost, not the shared pace toward Belvo (see proxy-overhead.ts).
      LINKDESK_BELVO_RATE_LIMIT: '10000',
      LINKDESK_BELVO_RATE_WINDOW_SECONDS: '1',
    };
    const onSqlite = await startProcess(['src/server/start-api.ts'], { ...linkdeskEnv, LINKDESK_DATA_DIR: sqliteData }, /Linkdesk listening on (http:\/\/\S+)/);
    children.push(onSqlite.child);
    const onPostgres = await startProcess(
      ['src/server/start-api.ts'],
      { ...linkdeskEnv, LINKDESK_DATA_DIR: postgresData, LINKDESK_DATABASE_URL: databaseUrl },
      /Linkdesk listening on (http:\/\/\S+)/,
    );
    children.push(onPostgres.child);

    const agent = new Agent({ keepAliveTimeout: 30_000, connections: concurrency });
    const signIn = async (url: string) => {
      const response = await request(`${url}/bff/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' },
        body: JSON.stringify({ username: 'bench', password }),
        dispatcher: agent,
      });
      await response.body.text();
      const setCookie = response.headers['set-cookie'];
      return (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((line) => line.split(';')[0]).join('; ');
    };
    const targets = {
      sqlite: { url: onSqlite.url, headers: { cookie: await signIn(onSqlite.url) } },
      postgres: { url: onPostgres.url, headers: { cookie: await signIn(onPostgres.url) } },
    };
    const direct = { url: sim.url, headers: { authorization: `Basic ${Buffer.from(`${defaultSimCredentials.secretId}:${defaultSimCredentials.secretPassword}`).toString('base64')}` } };
    const path = '/api/links/?page_size=100';
    const time = async (target: { url: string; headers: Record<string, string> }) => {
      const started = performance.now();
      const response = await request(`${target.url}${path}`, { headers: target.headers, dispatcher: agent });
      const body = await response.body.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200 || body.byteLength < 1000) throw new Error(`${target.url} answered ${response.statusCode}`);
      return elapsed;
    };

    const samples = { direct: [] as number[], sqlite: [] as number[], postgres: [] as number[] };
    for (let i = 0; i < warmup + iterations; i += 1) {
      const d = await time(direct);
      const s = await time(targets.sqlite);
      const p = await time(targets.postgres);
      if (i >= warmup) {
        samples.direct.push(d);
        samples.sqlite.push(s);
        samples.postgres.push(p);
      }
    }
    const throughputOf = async (target: { url: string; headers: Record<string, string> }) => {
      let done = 0;
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) {
            await time(target);
            done += 1;
          }
        }),
      );
      return done / seconds;
    };
    const throughput = { sqlite: await throughputOf(targets.sqlite), postgres: await throughputOf(targets.postgres) };
    await agent.close();

    const numbers = (backend: 'sqlite' | 'postgres'): BackendNumbers => ({
      medianMs: median(samples[backend]),
      p95Ms: percentile(samples[backend], 0.95),
      addedMedianMs: median(samples[backend].map((value, i) => value - (samples.direct[i] ?? 0))),
      throughput: throughput[backend],
    });

    // The shared rate limit's reservation alone, as each request to Belvo pays it on PostgreSQL.
    const db = await openDatabase(databaseUrl, { poolSize: 2 });
    const limiter = createSharedRateLimiter({ clock: createSystemClock(), limit: 1_000_000, windowMs: 1_000, reserveForInteractive: 20, window: createUpstreamWindowStore(db) });
    const reservations: number[] = [];
    for (let i = 0; i < 2_300; i += 1) {
      const started = performance.now();
      await limiter.acquire('interactive');
      if (i >= 300) reservations.push(performance.now() - started);
    }
    await db.destroy();

    return {
      iterations,
      concurrency,
      seconds,
      directMedianMs: median(samples.direct),
      sqlite: numbers('sqlite'),
      postgres: numbers('postgres'),
      reservationMedianMs: median(reservations),
      reservationP95Ms: percentile(reservations, 0.95),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    cluster.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
