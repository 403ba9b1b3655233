import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

export interface Linkdesk {
  url: string;
  output: () => string;
  /** The demo accounts the simulator's first start printed (role → password). */
  accounts: Record<string, string>;
  dataDir: string;
  stop(): Promise<void>;
  /** kill -9: no shutdown of any kind; the data folder stays for the next start. */
  crash(): Promise<void>;
}

/** Starts Linkdesk exactly as `npm start` does (tsx src/server/start.ts), on a free port. */
export async function startLinkdesk(env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<Linkdesk> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'linkdesk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/start.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LINKDESK_DATA_DIR: dataDir,
      LINKDESK_DIST_DIR: inject('distDir'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`Linkdesk did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /Linkdesk listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Linkdesk exited with ${code}:\n${output}`));
    });
  });
  // Wait for the rest of the banner (the accounts) to be printed.
  await new Promise((resolveBanner) => setTimeout(resolveBanner, 200));
  const accounts: Record<string, string> = {};
  for (const match of output.matchAll(/^ {2}(viewer|support|qa|admin) +(\S+)$/gm)) if (match[1] && match[2]) accounts[match[1]] = match[2];
  return {
    url,
    accounts,
    dataDir,
    output: () => output,
    stop: () =>
      new Promise<void>((done) => {
        child.removeAllListeners('exit');
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          done();
        });
        child.kill('SIGTERM');
      }),
    crash: () =>
      new Promise<void>((done) => {
        child.removeAllListeners('exit');
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}

/** The simulator as `npm run belvo-sim` runs it, in its own process, so it outlives a Linkdesk that is killed. */
export interface StandaloneSimulator {
  url: string;
  /** A request to the simulator itself (its `/_sim/` controls, or Belvo's API) with its keys. */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): void;
}

export async function startSimulator(keys: { secretId: string; secretPassword: string }, env: Record<string, string> = {}): Promise<StandaloneSimulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/belvo-sim/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', BELVO_SIM_PORT: '0', BELVO_SIM_SECRET_ID: keys.secretId, BELVO_SIM_SECRET_PASSWORD: keys.secretPassword, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolveUrl(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited with ${code}:\n${output}`)));
  });
  const authorization = `Basic ${Buffer.from(`${keys.secretId}:${keys.secretPassword}`).toString('base64')}`;
  return {
    url,
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : ((await response.json()) as unknown);
    },
    stop: () => {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    },
  };
}

/** `npm run user -- add <username> --role <role> --password-stdin`, as an operator would, against `env`'s store. */
export function addStaffAccount(env: Record<string, string>, username: string, role: string, password: string) {
  const added = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/user.ts', 'add', username, '--role', role, '--password-stdin'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    input: `${password}\n`,
    encoding: 'utf8',
  });
  if (added.status !== 0) throw new Error(`could not add ${username}: ${added.stderr}`);
}

export function chromiumPath(): string | null {
  return inject('chromiumPath');
}

/** Debian's Chromium with the flags this sandbox needs (no background networking, no sandbox). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not available');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Collects what would be a bug in the browser: console errors (CSP violations too) and page errors. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx fetch as a console error; an expected 404 (a deleted link) is not a bug.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Signs this page's browser context in (the session cookie is shared by its pages). */
export async function signIn(page: Page, linkdesk: Linkdesk, role: string) {
  const password = linkdesk.accounts[role];
  if (!password) throw new Error(`no demo account for ${role} in:\n${linkdesk.output()}`);
  const response = await page.request.post(`${linkdesk.url}/bff/session`, {
    data: { username: role, password },
    headers: { 'x-linkdesk-csrf': '1' },
  });
  if (!response.ok()) throw new Error(`signing in as ${role} failed: ${response.status()} ${await response.text()}`);
}

/**
 * Waits for the start-up sync of the link index. Until it completes the links list reads Belvo,
 * and it switches to the index's list when it does: a journey that started before would see the
 * page change under it.
 */
export async function indexReady(page: Page, linkdesk: Linkdesk, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const status = (await (await page.request.get(`${linkdesk.url}/bff/index/status`)).json()) as { state: string; last_full_sync_at: string | null };
    if (status.last_full_sync_at) return;
    if (Date.now() > until) throw new Error(`the link index did not complete a sync in ${timeoutMs / 1000} s: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface BrowserSuite {
  readonly linkdesk: Linkdesk;
  readonly page: Page;
  /** This test causes a console error on purpose (e.g. a chunk made to fail); only it is let through. */
  expectProblem(pattern: RegExp): void;
}

/**
 * The hooks every journey file needs: one Linkdesk (as npm start runs it) and one Chromium per
 * file, a fresh context per test signed in as `role` (or not, with null), and no console error or
 * page error allowed.
 */
export function browserSuite(options: { role: string | null; viewport?: { width: number; height: number } }): BrowserSuite {
  let linkdesk: Linkdesk | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let problems: string[] = [];
  let expected: RegExp[] = [];
  beforeAll(async () => {
    [linkdesk, browser] = await Promise.all([startLinkdesk(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await linkdesk?.stop();
  });
  beforeEach(async () => {
    if (!browser || !linkdesk) throw new Error('the suite did not start');
    page = await (await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } })).newPage();
    problems = watchForErrors(page);
    expected = [];
    if (options.role) {
      await signIn(page, linkdesk, options.role);
      await indexReady(page, linkdesk);
    }
  });
  afterEach(async () => {
    await page?.context().close();
    expect(problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)))).toEqual([]);
  });
  return {
    get linkdesk() {
      if (!linkdesk) throw new Error('Linkdesk is not running');
      return linkdesk;
    },
    get page() {
      if (!page) throw new Error('no page yet');
      return page;
    },
    expectProblem(pattern: RegExp) {
      expected.push(pattern);
    },
  };
}
