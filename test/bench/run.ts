import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { measureBundle } from './bundle.ts';
import { measureLighthouse } from './lighthouse.ts';
import { measureJobs } from './jobs.ts';
import { measureLinkIndex } from './link-index.ts';
import { measureProxyOverhead } from './proxy-overhead.ts';
import { measureHardening } from './hardening.ts';
import { measurePostgres } from './postgres.ts';
import { measureRendering } from './render.ts';

/**
 * `npm run bench`: the budgets, measured on this machine, printed as a table with a verdict each.
 * Exits non-zero when a budget is missed. `npm run bench -- index` runs only the link index's
 * part; `npm run bench -- foundation` only the earlier ones (bundle, proxy, rendering);
 * `npm run bench -- lighthouse` only Lighthouse 12 on the production build's links page;
 * `npm run bench -- jobs` only a 1,000-link bulk delete job; `npm run bench -- postgres` the proxy on
 * PostgreSQL against SQLite, side by side.
 */
const parts = ['foundation', 'index', 'lighthouse', 'hardening', 'jobs', 'postgres'] as const;
const only = process.argv.slice(2).filter((arg) => arg !== '--');
const unknown = only.filter((arg) => !(parts as readonly string[]).includes(arg));
if (unknown.length > 0) {
  console.error(`Unknown bench part: ${unknown.join(', ')}. Use any of: ${parts.join(', ')} (none = all).`);
  process.exit(2);
}
const want = (part: (typeof parts)[number]) => only.length === 0 || only.includes(part);
const root = resolve(import.meta.dirname, '../..');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 3 : 1)} ms`;
const results: { name: string; value: string; budget: string; ok: boolean }[] = [];

if (want('foundation') || want('lighthouse')) {
  console.log('Building the SPA…');
  // Into a directory of its own: dist/ may be what a running Linkdesk serves.
  const benchDist = mkdtempSync(join(tmpdir(), 'linkdesk-bench-dist-'));
  process.on('exit', () => rmSync(benchDist, { recursive: true, force: true }));
  await build({ root, logLevel: 'warn', configFile: resolve(root, 'vite.config.ts'), build: { outDir: benchDist, emptyOutDir: true } });
  if (want('foundation')) {
    const bundle = measureBundle(benchDist);
    results.push({ name: 'first-screen JS (gzip)', value: kib(bundle.firstScreenJsGzip), budget: '≤ 150 KiB', ok: bundle.firstScreenJsGzip <= 150 * 1024 });
    results.push({ name: 'first-screen CSS (gzip)', value: kib(bundle.firstScreenCssGzip), budget: '≤ 12 KiB', ok: bundle.firstScreenCssGzip <= 12 * 1024 });
    console.log(`  lazy chunks: ${bundle.lazyChunks.map((chunk) => `${chunk.file} ${kib(chunk.gzip)}`).join(', ') || 'none'}`);

    console.log('Measuring the proxy against the simulator over loopback…');
    const proxy = await measureProxyOverhead();
    console.log(
      [
        `  ${proxy.iterations} interleaved rounds; medians:`,
        `  simulator directly                         ${ms(proxy.directMedianMs)} (p95 ${ms(proxy.directP95Ms)})`,
        `  Linkdesk + in-process simulator (npm start) ${ms(proxy.bundledMedianMs)} (the simulator shares Linkdesk's core here)`,
        `  Linkdesk → standalone simulator (two hops)  ${ms(proxy.proxiedMedianMs)} (p95 ${ms(proxy.proxiedP95Ms)})`,
        `  bare relay → standalone simulator           ${ms(proxy.relayMedianMs)}: the extra hop alone adds ${ms(proxy.bareRelayOverheadMedianMs)}`,
        `  Linkdesk → standalone simulator, gzip      ${ms(proxy.proxiedGzipMedianMs)}: ${kib(proxy.plainBytes)} sent as ${kib(proxy.gzipBytes)}`,
      ].join('\n'),
    );
    results.push({
      name: 'proxy adds, GET page_size=100 (median)',
      value: `${ms(proxy.overheadMedianMs)} (hop floor ${ms(proxy.bareRelayOverheadMedianMs)})`,
      budget: '≤ 0.5 ms',
      ok: proxy.overheadMedianMs <= 0.5,
    });
    results.push({
      name: "  of which Linkdesk's code (beyond a bare relay)",
      value: ms(proxy.overheadMedianMs - proxy.bareRelayOverheadMedianMs),
      budget: '≤ 0.5 ms',
      ok: proxy.overheadMedianMs - proxy.bareRelayOverheadMedianMs <= 0.5,
    });
    console.log(`  a loopback hop on this machine costs ${ms(proxy.bareRelayOverheadMedianMs)} before any proxy code runs`);
  }

  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/start.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'warn', LINKDESK_DIST_DIR: benchDist, LINKDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'linkdesk-bench-render-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let serverOutput = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    server.stdout?.on('data', (chunk) => {
      output += String(chunk);
      serverOutput = output;
      const match = /Linkdesk listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) setTimeout(() => resolveUrl(match[1] ?? ''), 300);
    });
    server.on('exit', (code) => reject(new Error(`Linkdesk exited with ${code}: ${output}`)));
  });
  try {
    const viewerPassword = /^ {2}viewer +(\S+)$/m.exec(serverOutput)?.[1] ?? '';
    const viewer = { username: 'viewer', password: viewerPassword };
    if (want('foundation')) {
      console.log('Measuring rendering in Chromium…');
      const render = await measureRendering(url, viewer);
      console.log(`  ${render.runs} runs; filter change to new rows painted (includes the request): median ${ms(render.filterNewRowsMs)}`);
      results.push({
        name: '1000-link page: first rows after data (median)',
        value: `${ms(render.firstRowsAfterDataMs)} (max ${ms(render.firstRowsAfterDataMaxMs)})`,
        budget: '≤ 300 ms',
        ok: render.firstRowsAfterDataMs <= 300,
      });
      results.push({
        name: 'filter change repaint (median)',
        value: `${ms(render.filterRepaintMs)} (max ${ms(render.filterRepaintMaxMs)})`,
        budget: '≤ 100 ms',
        ok: render.filterRepaintMs <= 100,
      });
    }
    if (want('lighthouse')) {
      console.log('Lighthouse 12 (desktop) on the signed-in links page, production build…');
      const lighthouse = await measureLighthouse(url, viewer);
      console.log(`  CLS ${lighthouse.cls.toFixed(3)}, LCP ${ms(lighthouse.lcpMs)}, TBT ${ms(lighthouse.tbtMs)}`);
      if (lighthouse.failing.length > 0) console.log(`  audits below full marks: ${lighthouse.failing.join(', ')}`);
      results.push({ name: 'Lighthouse performance', value: lighthouse.performance.toFixed(2), budget: '≥ 0.95', ok: lighthouse.performance >= 0.95 });
      results.push({ name: 'Lighthouse accessibility', value: lighthouse.accessibility.toFixed(2), budget: '= 1.00', ok: lighthouse.accessibility >= 1 });
      results.push({ name: 'Lighthouse best practices', value: lighthouse.bestPractices.toFixed(2), budget: '= 1.00', ok: lighthouse.bestPractices >= 1 });
    }
  } finally {
    server.kill('SIGTERM');
  }
}

if (want('index')) {
  console.log('Measuring the link index at 100,000 links (simulator in its own process, 300 ms a page)…');
  const index = await measureLinkIndex();
  const s = (value: number) => `${value.toFixed(1)} s`;
  console.log(
    [
      `  full sync: ${index.sync.pages} pages, ${index.sync.indexed} links in ${s(index.sync.seconds)}; Linkdesk CPU ${s(index.sync.cpuSeconds)}`,
      `  the rate limit alone (60 background requests per 30 s) needs at least ${s(index.sync.rateLimitFloorSeconds)}; ${index.sync.pages} pages at 300 ms need ${s(index.sync.pages * 0.3)}`,
      `  waiting for the simulator's answers: ${s(index.sync.upstreamSeconds)} in all; answers ${JSON.stringify(index.sync.statuses)}`,
      ...index.listMedians.map((entry) => `  list ${entry.query.padEnd(48)} ${ms(entry.medianMs)}`),
      ...index.searchMedians.map((entry) => `  search ${entry.query.padEnd(46)} ${ms(entry.medianMs)}`),
      `  CSV: ${index.csv.rows} rows, ${(index.csv.bytes / 1e6).toFixed(1)} MB in ${s(index.csv.seconds)}, RSS growth ${index.csv.rssGrowthMb.toFixed(1)} MB`,
    ].join('\n'),
  );
  const worstList = Math.max(...index.listMedians.map((entry) => entry.medianMs));
  const worstSearch = Math.max(...index.searchMedians.map((entry) => entry.medianMs));
  results.push({
    name: 'index full sync, 100k links, 300 ms pages',
    value: `${s(index.sync.seconds)}, CPU ${s(index.sync.cpuSeconds)}`,
    // The issue asks that Belvo bound the sync, not Linkdesk: what is not Linkdesk's CPU is waiting
    // for Belvo's pages or for the rate limit. Pages come one after another (each asks from where
    // the last ended), so at 300 ms a page the pace is below the limit's 60 background pages / 30 s.
    budget: 'Linkdesk CPU < ¼ of it',
    ok: index.sync.indexed === index.links && index.sync.cpuSeconds < index.sync.seconds / 4,
  });
  results.push({ name: '/bff/health at 100k (median)', value: ms(index.healthMedianMs), budget: '≤ 150 ms', ok: index.healthMedianMs <= 150 });
  results.push({ name: '/bff/index/links filter + sort (worst median)', value: ms(worstList), budget: '≤ 50 ms', ok: worstList <= 50 });
  results.push({ name: '/bff/index/links search (worst median)', value: ms(worstSearch), budget: '≤ 50 ms', ok: worstSearch <= 50 });
  results.push({
    name: 'CSV of 100k rows',
    value: `${s(index.csv.seconds)}, RSS +${index.csv.rssGrowthMb.toFixed(1)} MB`,
    budget: '≤ 5 s, ≤ 50 MB',
    ok: index.csv.rows === index.links && index.csv.seconds <= 5 && index.csv.rssGrowthMb <= 50,
  });
}

// `npm run bench -- hardening`: the security issue's attacks, repeated and measured.
if (want('hardening')) await runHardening(results);

if (want('jobs')) {
  console.log('Running a 1,000-link asynchronous delete job against the simulator (limiter 220 / 10 s, 20 kept for people)…');
  const jobs = await measureJobs();
  console.log(
    [
      `  ${jobs.links} DELETEs in ${jobs.seconds.toFixed(1)} s; at most ${jobs.maxInWindow} in any window, allowing 25 ms of logging jitter (background share ${jobs.backgroundPerWindow})`,
      `  links list median: idle ${ms(jobs.listIdleMedianMs)} (before and after), during the job ${ms(jobs.listDuringMedianMs)}`,
    ].join('\n'),
  );
  const ratio = jobs.achievedPerMinute / jobs.configuredPerMinute;
  results.push({
    name: 'bulk job pace vs configured background pace',
    value: `${jobs.achievedPerMinute.toFixed(0)}/min of ${jobs.configuredPerMinute.toFixed(0)}/min`,
    budget: 'within 10%, never above',
    ok: ratio >= 0.9 && jobs.maxInWindow <= jobs.backgroundPerWindow,
  });
  results.push({
    name: 'links list median during a job',
    value: `${ms(jobs.listDuringMedianMs)} (idle ${ms(jobs.listIdleMedianMs)})`,
    budget: '≤ idle + 20%',
    ok: jobs.listDuringMedianMs <= jobs.listIdleMedianMs * 1.2,
  });
}

if (want('postgres')) {
  console.log('Measuring the proxy on SQLite and on PostgreSQL, side by side, against the standalone simulator…');
  const figures = await measurePostgres();
  if (!figures) {
    const message = 'No PostgreSQL found (apt-get install -y postgresql, or set POSTGRES_BIN_DIR)';
    if (process.env.CI) results.push({ name: 'proxy on PostgreSQL', value: 'not measured', budget: message, ok: false });
    else console.warn(`  ⚠ ${message}: skipping the PostgreSQL part.`);
  } else {
    const { sqlite, postgres } = figures;
    console.log(
      [
        `  ${figures.iterations} interleaved rounds of a viewer's GET /api/links/?page_size=100; simulator alone ${ms(figures.directMedianMs)}`,
        `                      median      p95        adds (paired)   throughput (${figures.concurrency} clients, ${figures.seconds} s)`,
        `  on SQLite           ${ms(sqlite.medianMs).padEnd(11)} ${ms(sqlite.p95Ms).padEnd(10)} ${ms(sqlite.addedMedianMs).padEnd(15)} ${sqlite.throughput.toFixed(0)} req/s`,
        `  on PostgreSQL       ${ms(postgres.medianMs).padEnd(11)} ${ms(postgres.p95Ms).padEnd(10)} ${ms(postgres.addedMedianMs).padEnd(15)} ${postgres.throughput.toFixed(0)} req/s`,
        `  the shared rate window's reservation alone: median ${ms(figures.reservationMedianMs)}, p95 ${ms(figures.reservationP95Ms)}`,
      ].join('\n'),
    );
    results.push({
      name: 'proxy on PostgreSQL adds, vs on SQLite (median)',
      value: ms(postgres.addedMedianMs - sqlite.addedMedianMs),
      budget: '≤ 2 ms',
      ok: postgres.addedMedianMs - sqlite.addedMedianMs <= 2,
    });
    results.push({
      name: 'shared rate window reservation (median)',
      value: ms(figures.reservationMedianMs),
      budget: '≤ 1 ms',
      ok: figures.reservationMedianMs <= 1,
    });
    results.push({
      name: 'proxy throughput on PostgreSQL vs SQLite',
      value: `${postgres.throughput.toFixed(0)} vs ${sqlite.throughput.toFixed(0)} req/s`,
      budget: '≥ 50%',
      ok: postgres.throughput >= sqlite.throughput * 0.5,
    });
  }
}

console.log('');
const width = Math.max(...results.map((result) => result.name.length));
for (const result of results) {
  console.log(`${result.ok ? 'PASS' : 'FAIL'}  ${result.name.padEnd(width)}  ${result.value.padEnd(26)} budget ${result.budget}`);
}
process.exit(results.every((result) => result.ok) ? 0 : 1);

async function runHardening(verdicts: typeof results) {
  console.log('Repeating the hardening attacks against Linkdesk (API + in-process simulator) over loopback…');
  const figures = await measureHardening();
  const { concurrentOneAddress: one, concurrentManyAddresses: many, flood, floodSpoofed, verify } = figures;
  const rows: [string, string, string, boolean][] = [
    [`${one.attempts} sign-ins at once, one address`, `${one.checks} password checks (right one: ${one.rightPasswordStatus})`, `≤ ${one.limit}`, one.checks <= one.limit && one.rightPasswordStatus === 429],
    [`${many.attempts} sign-ins at once, ${many.attempts} addresses`, `${many.checks} password checks in ${many.seconds.toFixed(1)} s`, `≤ 10 + one per pause: ${many.limit}`, many.checks <= many.limit],
    [`${flood.seconds} s of anonymous sign-ins, one address`, `${flood.auditRows} audit rows of ${flood.attempts} attempts (~${(flood.auditBytes / 1024).toFixed(1)} KiB; file +${(flood.databaseGrowthBytes / 1024).toFixed(0)} KiB)`, 'bounded', flood.auditRows <= 25],
    [`${floodSpoofed.seconds} s of anonymous sign-ins, spoofed addresses behind a trusted proxy`, `${floodSpoofed.auditRows} audit rows of ${floodSpoofed.attempts} attempts`, 'reported', true],
    [`/bff/audit/verify at ${verify.rows.toLocaleString('en')} rows`, `${verify.singleMs.toFixed(0)} ms (4 at once: ${verify.fourAtOnceMs.toFixed(0)} ms)`, 'reported', verify.ok],
    ['  a cheap request meanwhile', `median ${verify.otherRequestMedianMs.toFixed(1)} ms, max ${verify.otherRequestMaxWaitMs.toFixed(1)} ms`, '≤ 100 ms max', verify.otherRequestMaxWaitMs <= 100],
    ['  the same request with nothing running', `median ${verify.baselineMedianMs.toFixed(1)} ms, max ${verify.baselineMaxWaitMs.toFixed(1)} ms`, 'machine load', true],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('');
  for (const [name, value, budget, ok] of rows) console.log(`${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(width)}  ${value}  (${budget})`);
  for (const [name, value, budget, ok] of rows) if (budget !== 'reported' && budget !== 'machine load') verdicts.push({ name: name.trim(), value, budget, ok });
}
