import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createSystemClock } from '../../src/contract/clock.ts';
import { createAuditLog } from '../../src/server/store/audit.ts';
import { createFileCheckpoint, loadAuditKey } from '../../src/server/store/audit-key.ts';
import { openDatabase } from '../../src/server/store/database.ts';

/**
 * The hardening issue's attacks, repeated against Linkdesk as `npm start` runs it (API only, the
 * simulator in-process), over loopback HTTP:
 * - password checks per window when 200 sign-in attempts arrive at once (one address; and 200
 *   addresses through a trusted proxy, i.e. a distributed attacker);
 * - audit rows (and bytes) written by 10 s of anonymous sign-in attempts;
 * - GET /bff/audit/verify at 100,000 audit rows, and how long other requests wait meanwhile.
 */
const root = resolve(import.meta.dirname, '../..');

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
  dataDir: string;
  stop(): Promise<void>;
}

async function startLinkdesk(env: Record<string, string> = {}, dataDir = mkdtempSync(join(tmpdir(), 'linkdesk-bench-hardening-'))): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/start-api.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'warn', LINKDESK_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /Linkdesk listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) setTimeout(() => done(match[1] ?? ''), 200);
    });
    child.on('exit', (code) => fail(new Error(`Linkdesk exited with ${code}: ${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    dataDir,
    stop: () =>
      new Promise<void>((done) => {
        child.removeAllListeners('exit');
        child.on('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

const passwordOf = (server: Server, role: string) => new RegExp(`^ {2}${role} +(\\S+)$`, 'm').exec(server.output())?.[1] ?? '';

function signIn(server: Server, username: string, password: string, forwardedFor?: string) {
  return fetch(`${server.url}/bff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ username, password }),
  }).then(async (response) => {
    await response.arrayBuffer();
    return response.status;
  });
}

const auditRows = (dataDir: string) => {
  const db = new Database(join(dataDir, 'linkdesk.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(detail) + LENGTH(actor) + 200), 0) AS bytes FROM audit_log').get() as { n: number; bytes: number });
  } finally {
    db.close();
  }
};

export interface HardeningFigures {
  concurrentOneAddress: { attempts: number; checks: number; rightPasswordStatus: number; limit: number };
  concurrentManyAddresses: { attempts: number; checks: number; limit: number; seconds: number };
  flood: { seconds: number; attempts: number; auditRows: number; auditBytes: number; databaseGrowthBytes: number };
  floodSpoofed: { seconds: number; attempts: number; auditRows: number };
  verify: {
    rows: number;
    singleMs: number;
    fourAtOnceMs: number;
    otherRequestMaxWaitMs: number;
    otherRequestMedianMs: number;
    /** The same cheap request with nothing else running: what the machine's load alone costs. */
    baselineMaxWaitMs: number;
    baselineMedianMs: number;
    ok: boolean;
  };
}

async function concurrentAttempts(): Promise<Pick<HardeningFigures, 'concurrentOneAddress' | 'concurrentManyAddresses'>> {
  const server = await startLinkdesk({ LINKDESK_TRUSTED_PROXY_HOPS: '1' });
  try {
    const right = passwordOf(server, 'support');
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(server, 'support', i === 150 ? right : `guess-${i}`, '203.0.113.5')));
    const manyStarted = performance.now();
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(server, 'qa', `guess-${i}`, `198.51.${Math.floor(i / 250)}.${i % 250}`)));
    const seconds = (performance.now() - manyStarted) / 1000;
    return {
      concurrentOneAddress: { attempts: 200, checks: statuses.filter((status) => status !== 429).length, rightPasswordStatus: statuses[150] ?? 0, limit: 5 },
      // 10 free checks for the account, then one after each pause of 1 s, 2 s, 4 s … while the burst lasts.
      concurrentManyAddresses: { attempts: 200, checks: many.filter((status) => status !== 429).length, limit: 10 + Math.floor(Math.log2(seconds + 1)), seconds },
    };
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function flood(spoofed: boolean, seconds = 10): Promise<{ attempts: number; auditRows: number; auditBytes: number; databaseGrowthBytes: number }> {
  const server = await startLinkdesk(spoofed ? { LINKDESK_TRUSTED_PROXY_HOPS: '1' } : {});
  try {
    const before = auditRows(server.dataDir);
    const sizeBefore = statSync(join(server.dataDir, 'linkdesk.sqlite')).size;
    const until = performance.now() + seconds * 1000;
    let attempts = 0;
    // 20 connections in parallel, as fast as Linkdesk answers.
    await Promise.all(
      Array.from({ length: 20 }, async (_, worker) => {
        while (performance.now() < until) {
          const n = attempts++;
          await signIn(server, n % 4 === 0 ? 'admin' : `nobody${n}`, `guess-${n}`, spoofed ? `10.${worker}.${Math.floor(n / 250) % 250}.${n % 250}` : undefined);
        }
      }),
    );
    const after = auditRows(server.dataDir);
    const sizeAfter = statSync(join(server.dataDir, 'linkdesk.sqlite')).size;
    return { attempts, auditRows: after.n - before.n, auditBytes: after.bytes - before.bytes, databaseGrowthBytes: sizeAfter - sizeBefore };
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

async function verifyAtScale(rows = 100_000): Promise<HardeningFigures['verify']> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linkdesk-bench-verify-'));
  // The rows are written with the same key and checkpoint Linkdesk will use.
  const db = await openDatabase(join(dataDir, 'linkdesk.sqlite'));
  const audit = createAuditLog(db, createSystemClock(), { key: loadAuditKey({ key: null, file: join(dataDir, 'audit.key') }), checkpoint: createFileCheckpoint(join(dataDir, 'audit.head')) });
  // Each entry is its own serialised append, as Linkdesk writes them.
  for (let i = 0; i < rows; i += 1) {
    await audit.note('link.delete', { actor: `support${i % 20}`, role: 'support' }, i % 3 ? 'success' : 'blocked', {
        link_id: '5fbae30b-8ac1-49d6-a665-b95de84af9cb',
        external_id: `customer-${i}`,
      detail: { status: 204, mode: 'sync' },
    });
  }
  await db.destroy();
  const server = await startLinkdesk({}, dataDir);
  try {
    const password = passwordOf(server, 'viewer');
    const session = await fetch(`${server.url}/bff/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' }, body: JSON.stringify({ username: 'viewer', password }) });
    // The demo accounts exist only on a first start with no users; this data folder had none.
    const cookie = /linkdesk_session=[^;]+/.exec(session.headers.getSetCookie().join('\n'))?.[0] ?? '';
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie } });

    let started = performance.now();
    const single = (await (await get('/bff/audit/verify')).json()) as { ok: boolean; entries: number };
    const singleMs = performance.now() - started;

    // A cheap request every 5 ms: how long does it take with nothing else running, and while four
    // verifications run at once?
    const probe = (during: () => Promise<unknown>) => {
      const waits: number[] = [];
      let running = true;
      const prober = (async () => {
        while (running) {
          const at = performance.now();
          await (await get('/bff/meta')).arrayBuffer();
          waits.push(performance.now() - at);
          await new Promise((done) => setTimeout(done, 5));
        }
      })();
      return during().then(async () => {
        running = false;
        await prober;
        return [...waits].sort((a, b) => a - b);
      });
    };
    const baseline = await probe(() => new Promise((done) => setTimeout(done, 2_000)));
    let fourAtOnceMs = 0;
    const sorted = await probe(async () => {
      started = performance.now();
      await Promise.all(Array.from({ length: 4 }, async () => (await get('/bff/audit/verify')).json()));
      fourAtOnceMs = performance.now() - started;
    });
    return {
      rows: single.entries,
      singleMs,
      fourAtOnceMs,
      otherRequestMaxWaitMs: sorted[sorted.length - 1] ?? Number.NaN,
      otherRequestMedianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      baselineMaxWaitMs: baseline[baseline.length - 1] ?? Number.NaN,
      baselineMedianMs: baseline[Math.floor(baseline.length / 2)] ?? Number.NaN,
      ok: single.ok,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureHardening(): Promise<HardeningFigures> {
  const concurrent = await concurrentAttempts();
  const single = await flood(false);
  const spoofed = await flood(true);
  return {
    ...concurrent,
    flood: { seconds: 10, ...single },
    floodSpoofed: { seconds: 10, attempts: spoofed.attempts, auditRows: spoofed.auditRows },
    verify: await verifyAtScale(),
  };
}
