import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addStaffAccount, chromiumPath, launchChromium, startLinkdesk, startSimulator, watchForErrors, type Linkdesk, type StandaloneSimulator } from './harness.ts';

// Keys as an operator would set them; the standalone simulator is told to accept exactly these.
const secretId = 'prod-like-secret-id-5f3a9c';
const secretPassword = 'prod-like-secret-password-Zq81xW';
const adminPassword = 'e2e admin passphrase 2026';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the built SPA', () => {
  it('contains no Belvo key, no simulator key and no webhook secret', () => {
    // The production build the journeys serve (never dist/, which a running Linkdesk may use).
    const text = filesUnder(inject('distDir'))
      .filter((path) => !/\.(br|gz|png|svg)$/.test(path))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    expect(text.length).toBeGreaterThan(100_000);
    for (const secret of ['linkdesk-sim-password', 'linkdesk-sim-id', 'BELVO_SECRET', 'secretPassword', 'webhookAuthorization', 'Basic ']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe.skipIf(!chromiumPath())('with real-looking keys, in Chromium', () => {
  let sim: StandaloneSimulator;
  let linkdesk: Linkdesk;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startSimulator({ secretId, secretPassword });
    dataDir = mkdtempSync(join(tmpdir(), 'linkdesk-keys-'));
    addStaffAccount({ LINKDESK_DATA_DIR: dataDir }, 'root', 'admin', adminPassword);
    [linkdesk, browser] = await Promise.all([
      startLinkdesk({ BELVO_SECRET_ID: secretId, BELVO_SECRET_PASSWORD: secretPassword, BELVO_ENV: 'sandbox', BELVO_BASE_URL: sim.url, LOG_LEVEL: 'info' }, { dataDir }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await linkdesk?.stop();
    sim?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never shows the keys to the browser: no request leaves for Belvo, none carries Authorization, no answer or log contains them', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems = watchForErrors(page);
    const seen: { url: string; authorization: string | undefined; body: string }[] = [];
    const reading: Promise<void>[] = [];
    page.on('response', (response) => {
      reading.push(
        (async () => {
          const request = response.request();
          const headers = await response.allHeaders().catch(() => ({}) as Record<string, string>);
          // The event stream never ends; its events are hints without data, and its headers are checked.
          const streaming = headers['content-type']?.includes('text/event-stream') ?? false;
          const body = streaming ? '' : await response.body().then((buffer) => buffer.toString('utf8'), () => '');
          const sent = await request.allHeaders().catch(() => ({}) as Record<string, string>);
          seen.push({ url: request.url(), authorization: sent.authorization, body: `${JSON.stringify(headers)}\n${body}` });
        })(),
      );
    });

    await page.goto(`${linkdesk.url}/links`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/links$/);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBeGreaterThan(5);
    await expect.poll(() => page.getByText('Belvo sandbox').isVisible()).toBe(true);
    await page.locator('table tbody tr[aria-rowindex]').first().getByRole('link').click();
    await expect.poll(() => page.getByRole('region', { name: 'Raw JSON' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: /^Refresh link/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Request refresh' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('alert').or(page.getByText('Refresh requested')).count()).toBeGreaterThan(0);
    await page.goto(`${linkdesk.url}/audit`);
    await expect.poll(() => page.getByRole('table').isVisible()).toBe(true);

    await Promise.allSettled(reading);
    expect(seen.length).toBeGreaterThan(10);
    for (const exchange of seen) {
      expect(new URL(exchange.url).origin).toBe(linkdesk.url);
      expect(exchange.authorization).toBeUndefined();
      for (const secret of [secretId, secretPassword, Buffer.from(`${secretId}:${secretPassword}`).toString('base64')]) {
        expect(exchange.body).not.toContain(secret);
      }
    }
    const logs = linkdesk.output();
    expect(logs).toContain('"msg":"request"');
    for (const secret of [secretPassword, Buffer.from(`${secretId}:${secretPassword}`).toString('base64'), adminPassword]) {
      expect(logs).not.toContain(secret);
    }
    await context.close();
    expect(problems).toEqual([]);
  });

  it('answers methods fetch cannot even express (TRACE, CONNECT-style targets) without crashing', async () => {
    const { hostname, port } = new URL(linkdesk.url);
    for (const [method, path] of [
      ['TRACE', '/api/links/'],
      ['PROPFIND', '/api/links/'],
      ['GET', 'http://evil.example/api/links/'],
      ['GET', '/api/links/..%2f..%2faccounts/'],
    ] as const) {
      const status = await new Promise<number>((resolveStatus, reject) => {
        const outgoing = httpRequest({ host: hostname, port: Number(port), method, path }, (response) => {
          response.resume();
          resolveStatus(response.statusCode ?? 0);
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(status, `${method} ${path}`).toBeLessThan(500);
    }
    const stillUp = await fetch(`${linkdesk.url}/bff/meta`);
    expect(stillUp.status).toBe(200);
  });
});
