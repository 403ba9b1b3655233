import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';

const root = resolve(import.meta.dirname, '../..');

/** Starts `tsx <args>` from the repository root and resolves with the URL its banner prints. */
export function startProcess(args: string[], env: Record<string, string>, pattern: RegExp): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = pattern.exec(output);
      if (match?.[1]) setTimeout(() => resolveStart({ url: match[1] ?? '', child, output: () => output }), 200);
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

/**
 * The proxy's cost on `GET /api/links/?page_size=100`, over HTTP on loopback, side by side in one
 * run, requests interleaved so every target sees the same machine state:
 * - direct: the simulator standalone (`npm run belvo-sim`);
 * - bundled: Linkdesk as `npm start` runs it, simulator in-process — one hop, like direct, so the
 *   difference is Linkdesk's own work (routing, validation, headers, logging, relaying);
 * - proxied: Linkdesk in front of the standalone simulator (BELVO_BASE_URL) — two hops, the shape
 *   of a real deployment;
 * - bare relay: node:http + undici and nothing else, two hops — the floor any proxy pays here.
 */
/** Signs in over HTTP and returns the Cookie header a browser would send. */
async function sessionCookie(url: string, username: string, password: string): Promise<string> {
  const response = await request(`${url}/bff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' },
    body: JSON.stringify({ username, password }),
  });
  await response.body.text();
  const setCookie = response.headers['set-cookie'];
  // Every cookie the answer sets (the session and the known-browser cookie), as a browser sends them.
  const cookie = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((line) => line.split(';')[0]).join('; ');
  if (response.statusCode !== 200 || !cookie) throw new Error(`could not sign in to ${url} as ${username}: ${response.statusCode}`);
  return cookie;
}

export async function measureProxyOverhead(options: { iterations?: number; warmup?: number } = {}) {
  const iterations = options.iterations ?? 3000;
  const warmup = options.warmup ?? 500;
  const proxyData = mkdtempSync(join(tmpdir(), 'linkdesk-bench-'));
  const benchPassword = 'a measuring passphrase, long enough';
  const added = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/user.ts', 'add', 'bench', '--role', 'viewer', '--password-stdin'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', LINKDESK_DATA_DIR: proxyData },
    input: `${benchPassword}\n`,
    encoding: 'utf8',
  });
  if (added.status !== 0) throw new Error(`could not create the bench account: ${added.stderr}`);
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(proxyData, { recursive: true, force: true });
  };
  try {
    return await measure();
  } finally {
    stopAll();
  }

  async function measure() {
  const sim = await startProcess(['src/belvo-sim/main.ts'], { BELVO_SIM_PORT: '0' }, /listening on (http:\/\/\S+)/);
  children.push(sim.child);
  const proxy = await startProcess(
    ['src/server/start-api.ts'],
    {
      PORT: '0',
      BELVO_SECRET_ID: defaultSimCredentials.secretId,
      BELVO_SECRET_PASSWORD: defaultSimCredentials.secretPassword,
      BELVO_BASE_URL: sim.url,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      LINKDESK_DATA_DIR: proxyData,
      // What is measured is the proxy's own cost per request, not the shared pace toward Belvo
      // (80 per 30 s by default), which would hold thousands of rounds for minutes.
      LINKDESK_BELVO_RATE_LIMIT: '10000',
      LINKDESK_BELVO_RATE_WINDOW_SECONDS: '1',
    },
    /Linkdesk listening on (http:\/\/\S+)/,
  );
  children.push(proxy.child);
  // Linkdesk as `npm start` runs it: no keys, the simulator in-process (one hop, like `direct`).
  const bundled = await startProcess(
    ['src/server/start-api.ts'],
    {
      PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      LINKDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'linkdesk-bench-bundled-')),
      LINKDESK_BELVO_RATE_LIMIT: '10000',
      LINKDESK_BELVO_RATE_WINDOW_SECONDS: '1',
    },
    /Linkdesk listening on (http:\/\/\S+)/,
  );
  children.push(bundled.child);
  const bare = await startProcess(
    ['test/bench/bare-relay.ts'],
    { BELVO_BASE_URL: sim.url, BELVO_SECRET_ID: defaultSimCredentials.secretId, BELVO_SECRET_PASSWORD: defaultSimCredentials.secretPassword },
    /listening on (http:\/\/\S+)/,
  );
  children.push(bare.child);
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 4 });
  const auth = `Basic ${Buffer.from(`${defaultSimCredentials.secretId}:${defaultSimCredentials.secretPassword}`).toString('base64')}`;
  // Every request is a signed-in viewer's, as in real use: the session lookup is part of the cost.
  const proxyHeaders = { cookie: await sessionCookie(proxy.url, 'bench', benchPassword) };
  const viewerPassword = /^ {2}viewer +(\S+)$/m.exec(bundled.output())?.[1] ?? '';
  const bundledHeaders = { cookie: await sessionCookie(bundled.url, 'viewer', viewerPassword) };
  const path = '/api/links/?page_size=100';
  const bytes = { plain: 0, gzip: 0 };
  const time = async (url: string, headers: Record<string, string>) => {
    const started = performance.now();
    const response = await request(url, { headers, dispatcher: agent });
    const body = Buffer.from(await response.body.arrayBuffer());
    const elapsed = performance.now() - started;
    if (response.statusCode !== 200 || body.length < 1000) throw new Error(`${url} answered ${response.statusCode}: ${body.toString('utf8', 0, 200)}`);
    bytes[response.headers['content-encoding'] === 'gzip' ? 'gzip' : 'plain'] = body.length;
    return elapsed;
  };
  const direct: number[] = [];
  const proxied: number[] = [];
  const relayed: number[] = [];
  const bundledTimes: number[] = [];
  const proxiedGzip: number[] = [];
  try {
    for (let i = 0; i < warmup + iterations; i += 1) {
      const d = await time(`${sim.url}${path}`, { authorization: auth });
      const p = await time(`${proxy.url}${path}`, proxyHeaders);
      const r = await time(`${bare.url}${path}`, {});
      const b = await time(`${bundled.url}${path}`, bundledHeaders);
      const g = await time(`${proxy.url}${path}`, { ...proxyHeaders, 'accept-encoding': 'gzip' });
      if (i >= warmup) {
        proxiedGzip.push(g);
        bundledTimes.push(b);
        direct.push(d);
        proxied.push(p);
        relayed.push(r);
      }
    }
  } finally {
    await agent.close();
  }
  const overheads = direct.map((d, i) => (proxied[i] ?? 0) - d);
  return {
    iterations,
    directMedianMs: median(direct),
    proxiedMedianMs: median(proxied),
    directP95Ms: percentile(direct, 0.95),
    proxiedP95Ms: percentile(proxied, 0.95),
    overheadMedianMs: median(proxied) - median(direct),
    relayMedianMs: median(relayed),
    bundledMedianMs: median(bundledTimes),
    bundledOverheadMedianMs: median(bundledTimes) - median(direct),
    bareRelayOverheadMedianMs: median(relayed) - median(direct),
    pairedOverheadMedianMs: median(overheads),
    /** The same page with `Accept-Encoding: gzip`, as browsers send it. */
    proxiedGzipMedianMs: median(proxiedGzip),
    plainBytes: bytes.plain,
    gzipBytes: bytes.gzip,
  };
}
}
