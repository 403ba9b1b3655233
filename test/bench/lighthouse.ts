import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

export interface LighthouseScores {
  performance: number;
  accessibility: number;
  bestPractices: number;
  cls: number;
  lcpMs: number;
  tbtMs: number;
  /** Audits that did not pass in the three categories, for a failing run. */
  failing: string[];
}

/**
 * Lighthouse 12 (desktop preset) on the links page as a signed-in person sees it, in Debian's
 * Chromium. The session cookie goes in as an extra header on every request Lighthouse's page
 * makes, so the run measures the list, not the sign-in page it would otherwise be sent to.
 * (Lighthouse 13 needs Node 22; 12.8.2 is pinned in package.json.)
 */
export async function measureLighthouse(baseUrl: string, account: { username: string; password: string }): Promise<LighthouseScores> {
  const signedIn = await fetch(`${baseUrl}/bff/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1', origin: baseUrl },
    body: JSON.stringify(account),
  });
  const cookie = signedIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  if (!signedIn.ok || !cookie) throw new Error(`sign-in for Lighthouse failed: ${signedIn.status}`);

  const profile = mkdtempSync(join(tmpdir(), 'linkdesk-lighthouse-profile-'));
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    userDataDir: profile,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const result = await lighthouse(
      `${baseUrl}/links`,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'], extraHeaders: { Cookie: cookie } },
      desktopConfig,
    );
    if (!result) throw new Error('Lighthouse returned no result');
    const { categories, audits } = result.lhr;
    const failing = Object.values(categories)
      .flatMap((category) => category.auditRefs.filter((ref) => ref.weight > 0).map((ref) => audits[ref.id]))
      .filter((audit) => audit && audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative')
      .map((audit) => `${audit?.id} (${audit?.displayValue ?? audit?.score})`);
    return {
      performance: categories.performance?.score ?? 0,
      accessibility: categories.accessibility?.score ?? 0,
      bestPractices: categories['best-practices']?.score ?? 0,
      cls: audits['cumulative-layout-shift']?.numericValue ?? Number.NaN,
      lcpMs: audits['largest-contentful-paint']?.numericValue ?? Number.NaN,
      tbtMs: audits['total-blocking-time']?.numericValue ?? Number.NaN,
      failing,
    };
  } finally {
    chrome.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}
