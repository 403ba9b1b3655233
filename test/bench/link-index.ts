import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createSystemClock } from '../../src/contract/clock.ts';
import { defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createApp } from '../../src/server/app.ts';
import { createIndexSync } from '../../src/server/background/index-sync.ts';
import { createBelvoClient, type BelvoClient } from '../../src/server/belvo/client.ts';
import { createRateLimiter, withRateLimit } from '../../src/server/belvo/rate-limiter.ts';
import { defaultIndexConfig, defaultRateLimit } from '../../src/server/config.ts';
import { createEventBus } from '../../src/server/events.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createServices } from '../../src/server/services/services.ts';
import { createStores } from '../../src/server/store/stores.ts';
import { openDatabase } from '../../src/server/store/database.ts';

/**
 * The link index at 100,000 links, against the standalone simulator in its own process (so
 * Linkdesk's CPU time is Linkdesk's alone) answering each page after 300 ms:
 * - a full sync under the shared rate limit (80 requests / 30 s, 20 kept for people);
 * - then, on the synced index, `/bff/health`, the list with one filter and a sort, the search box,
 *   and the CSV of every row, each through the app in-process (no socket), as the SPA's request
 *   would reach the route.
 */
const root = resolve(import.meta.dirname, '../..');

export interface IndexBenchResult {
  links: number;
  pageLatencyMs: number;
  sync: {
    pages: number;
    seconds: number;
    cpuSeconds: number;
    indexed: number;
    rateLimitFloorSeconds: number;
    /** Time spent waiting for Belvo's answers (the simulator's latency and work), summed. */
    upstreamSeconds: number;
    statuses: Record<string, number>;
  };
  healthMedianMs: number;
  listMedians: { query: string; medianMs: number }[];
  searchMedians: { query: string; medianMs: number }[];
  csv: { rows: number; seconds: number; rssGrowthMb: number; bytes: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function startSimulator(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/belvo-sim/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BELVO_SIM_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolveStart({ url: match[1], child });
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited with ${code}: ${output}`)));
  });
}

export async function measureLinkIndex(options: { links?: number; pageLatencyMs?: number } = {}): Promise<IndexBenchResult> {
  const links = options.links ?? 100_000;
  const pageLatencyMs = options.pageLatencyMs ?? 300;
  const sim = await startSimulator({ BELVO_SIM_LINKS: String(links), BELVO_SIM_PAGE_LATENCY_MS: String(pageLatencyMs), BELVO_SIM_RECURRENT_FAILURES_PER_DAY: '0' });
  const dataDir = mkdtempSync(join(tmpdir(), 'linkdesk-bench-index-'));
  const db = await openDatabase(join(dataDir, 'linkdesk.sqlite'));
  const clock = createSystemClock();
  let pages = 0;
  let upstreamMs = 0;
  const statuses: Record<string, number> = {};
  const upstream = createBelvoClient({ baseUrl: sim.url, ...defaultSimCredentials, timeoutMs: 30_000 });
  const counted: BelvoClient = {
    ...upstream,
    send: async (request) => {
      if (request.path !== '/api/links/') return upstream.send(request);
      pages += 1;
      try {
        const response = await upstream.send(request);
        upstreamMs += response.durationMs;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        return response;
      } catch (error) {
        statuses[error instanceof Error ? error.message.slice(0, 40) : 'error'] = (statuses[String(error)] ?? 0) + 1;
        throw error;
      }
    },
  };
  const belvo = withRateLimit(counted, createRateLimiter({ clock, ...defaultRateLimit }), clock);
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  const stores = createStores(db, clock, { auditKey: randomBytes(32) });
  const events = createEventBus();
  const indexSync = createIndexSync({
    belvo,
    store: stores.linkIndex,
    clock,
    logger,
    intervalMs: defaultIndexConfig.syncIntervalMs,
    incrementalMs: defaultIndexConfig.incrementalIntervalMs,
  });
  const services = createServices({ belvo, clock, stores, events, logger, indexSync, index: defaultIndexConfig });
  const app = createApp({
    config: {
      belvo: { mode: 'sandbox', baseUrl: sim.url, ...defaultSimCredentials, timeoutMs: 30_000 },
      webhookAuthorization: null,
      staticDir: null,
      publicOrigin: null,
    },
    belvo,
    clock,
    logger,
    stores,
    services,
    events,
  });
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await indexSync.syncNow();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const status = await indexSync.status();
    if (status.state !== 'ready') throw new Error(`the sync did not finish: ${JSON.stringify(status.last_error)}`);
    const windows = Math.ceil(pages / (defaultRateLimit.limit - defaultRateLimit.reserveForInteractive)) - 1;

    await stores.users.add('pm-bench', 'correct-horse-battery-staple-42', 'viewer');
    const user = await stores.users.byUsername('pm-bench');
    if (!user) throw new Error('no bench user');
    const cookie = `linkdesk_session=${(await stores.sessions.create(user.id)).token}`;
    const get = (path: string) => app.request(path, { headers: { cookie } });
    const time = async (path: string, runs: number) => {
      const durations: number[] = [];
      for (let i = 0; i < runs + 3; i += 1) {
        const begin = performance.now();
        const response = await get(path);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        if (i >= 3) durations.push(performance.now() - begin);
      }
      return median(durations);
    };

    const healthMedianMs = await time('/bff/health', 15);
    const sample = (await (await get('/bff/index/links?page_size=1000&page=37')).json()) as { results: { id: string; external_id: string | null; institution_user_id: string }[] };
    const withExternal = sample.results.find((link) => link.external_id) ?? sample.results[0];
    const listQueries = [
      'status=invalid&sort=last_accessed_at&order=desc',
      'institution=erebor_mx_retail&sort=created_at',
      'refresh_rate=7d&sort=status&order=asc&page=50',
      'orphan=true&sort=institution',
      'duplicate=true&sort=created_at&order=asc',
    ];
    const listMedians = [];
    for (const query of listQueries) listMedians.push({ query, medianMs: await time(`/bff/index/links?${query}`, 25) });
    const searchQueries = [
      `q=${sample.results[5]?.id ?? ''}`,
      `q=${(sample.results[6]?.id ?? '').slice(0, 8)}`,
      `q=${encodeURIComponent((withExternal?.external_id ?? 'user').slice(0, 6))}`,
      `q=${encodeURIComponent(sample.results[7]?.institution_user_id ?? '')}`,
    ];
    const searchMedians = [];
    for (const query of searchQueries) searchMedians.push({ query: query.slice(0, 24), medianMs: await time(`/bff/index/links?${query}`, 25) });

    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    const csvStarted = performance.now();
    const response = await get('/bff/index/links.csv');
    const reader = response.body?.getReader();
    let bytes = 0;
    let newlines = 0;
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      bytes += chunk.value.byteLength;
      for (let i = 0; i < chunk.value.length; i += 1) if (chunk.value[i] === 10) newlines += 1;
    }
    const csvSeconds = (performance.now() - csvStarted) / 1000;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

    return {
      links,
      pageLatencyMs,
      sync: {
        pages,
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        indexed: status.indexed,
        rateLimitFloorSeconds: windows * (defaultRateLimit.windowMs / 1000),
        upstreamSeconds: upstreamMs / 1000,
        statuses,
      },
      healthMedianMs,
      listMedians,
      searchMedians,
      csv: { rows: newlines - 1, seconds: csvSeconds, rssGrowthMb: (rssPeak - rssBefore) / 1e6, bytes },
    };
  } finally {
    await indexSync.stop();
    services.linkIndex.close();
    await db.destroy();
    sim.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
