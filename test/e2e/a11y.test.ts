import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, indexReady, launchChromium, signIn, startLinkdesk, watchForErrors, type Linkdesk } from './harness.ts';

// Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly refuses a script tag.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const languages = ['en', 'pt-BR', 'es-419'] as const;
type Language = (typeof languages)[number];

/** Runs axe-core on what the page shows now; every violation, whatever its impact, as "rule: targets". */
async function axeViolations(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  return violations.map((violation) => `${where} — ${violation}`);
}

/** Settled: a (new) heading is shown, nothing is loading, no skeleton, no animation in flight. */
async function settled(page: Page, previousHeading?: string) {
  await expect.poll(() => page.locator('main h1').first().isVisible(), { timeout: 15_000 }).toBe(true);
  if (previousHeading !== undefined) await expect.poll(() => page.locator('main h1').first().textContent(), { timeout: 15_000 }).not.toBe(previousHeading);
  await expect.poll(() => page.locator('[aria-busy="true"], main [role="status"][aria-label]').count(), { timeout: 15_000 }).toBe(0);
  await page.evaluate(() => Promise.all(document.getAnimations().filter((animation) => animation.playState === 'running' && animation.effect?.getTiming().iterations !== Infinity).map((animation) => animation.finished.catch(() => undefined))));
}

async function openDialog(page: Page, opener: ReturnType<Page['locator']>) {
  await opener.click();
  await expect.poll(() => page.getByRole('dialog').or(page.getByRole('alertdialog')).first().isVisible(), { timeout: 10_000 }).toBe(true);
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
}

async function closeDialog(page: Page) {
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByRole('dialog').or(page.getByRole('alertdialog')).count()).toBe(0);
}

describe.skipIf(!chromiumPath())('axe-core on every page and dialog, for every role and language', () => {
  let linkdesk: Linkdesk;
  let browser: Browser;
  beforeAll(async () => {
    [linkdesk, browser] = await Promise.all([startLinkdesk(), launchChromium()]);
    // One finished job, so every role has a job page to check: a refresh of one valid link.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, linkdesk, 'admin');
    await indexReady(page, linkdesk);
    const { results } = (await (await page.request.get(`${linkdesk.url}/bff/index/links?status=valid&page_size=1`)).json()) as { results: { id: string }[] };
    const job = await page.request.post(`${linkdesk.url}/bff/jobs`, { data: { action: 'refresh', link_ids: [results[0]?.id] }, headers: { 'x-linkdesk-csrf': '1' } });
    expect(job.status()).toBe(201);
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await linkdesk?.stop();
  });

  async function pageFor(role: string | null, language: Language) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript((code) => localStorage.setItem('linkdesk.language', code), language);
    const page = await context.newPage();
    const problems = watchForErrors(page);
    if (role) await signIn(page, linkdesk, role);
    return { page, problems };
  }

  it('finds nothing on the sign-in page, signed out, in every language', async () => {
    const found: string[] = [];
    for (const language of languages) {
      const { page, problems } = await pageFor(null, language);
      await page.goto(`${linkdesk.url}/links`);
      await page.waitForURL(/\/sign-in/);
      await settled(page);
      found.push(...(await axeViolations(page, `sign-in ${language}`)));
      await page.context().close();
      expect(problems).toEqual([]);
    }
    expect(found).toEqual([]);
  });

  for (const role of ['viewer', 'support', 'qa', 'admin'] as const) {
    it(`finds nothing for ${role} on every page and open dialog, in every language`, async () => {
      const found: string[] = [];
      const visited = new Set<string>();
      for (const language of languages) {
        const { page, problems } = await pageFor(role, language);
        const at = (where: string) => `${role} ${language} ${where}`;
        await page.goto(`${linkdesk.url}/links?page_size=25`);
        await settled(page);
        found.push(...(await axeViolations(page, at('links'))));

        const actions = page.locator('table tbody tr[aria-rowindex]').first().locator('td:last-child button');
        if ((await actions.count()) > 0) {
          for (let index = 0; index < (await actions.count()); index += 1) {
            const action = actions.nth(index);
            if (await action.isDisabled()) continue;
            await openDialog(page, action);
            found.push(...(await axeViolations(page, at(`links dialog ${index}`))));
            await closeDialog(page);
          }
        }

        // The bulk dialog, for roles that may select links: one row selected, then its first action.
        const rowBox = page.locator('table tbody tr[aria-rowindex]').first().locator('input[type=checkbox]');
        if ((await rowBox.count()) > 0) {
          await rowBox.check();
          const bulk = page.locator('main section[aria-label]:not([hidden])').getByRole('button', { name: /…$/ }).first();
          await openDialog(page, bulk);
          await settled(page);
          found.push(...(await axeViolations(page, at('bulk dialog'))));
          visited.add('bulk dialog');
          await closeDialog(page);
          await rowBox.uncheck();
        }

        const listHeading = (await page.locator('main h1').first().textContent()) ?? '';
        await page.locator('table tbody tr[aria-rowindex]').first().getByRole('link').first().click();
        await page.waitForURL(/\/links\/[0-9a-f-]{36}/);
        await settled(page, listHeading);
        found.push(...(await axeViolations(page, at('link'))));

        // The playground comes last: its MFA dialog stays open until the context closes.
        for (const path of ['/audit', '/users', '/health', '/jobs', '/playground']) {
          const nav = page.getByRole('navigation').getByRole('link', { name: await navName(page, path) });
          if (!(await nav.count())) continue;
          const heading = (await page.locator('main h1').first().textContent()) ?? '';
          await nav.click();
          await page.waitForURL(new RegExp(`${path}(\\?|$)`));
          await settled(page, heading);
          visited.add(path);
          found.push(...(await axeViolations(page, at(path))));
          if (path === '/playground') {
            await page.locator('main li button', { hasText: 'mfa_numeric' }).click();
            await page.locator('main form button[type=submit]').click();
            await expect.poll(() => page.getByRole('dialog').isVisible(), { timeout: 10_000 }).toBe(true);
            await expect.poll(() => page.getByRole('dialog').getByRole('timer').count()).toBe(2);
            found.push(...(await axeViolations(page, at('MFA dialog'))));
          }
          if (path === '/jobs') {
            const jobsHeading = (await page.locator('main h1').first().textContent()) ?? '';
            await page.locator('main table tbody tr').first().getByRole('link').first().click();
            await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
            await settled(page, jobsHeading);
            found.push(...(await axeViolations(page, at('job'))));
            visited.add('job page');
          }
          if (path === '/users') {
            const remove = page.locator('table tbody tr').last().getByRole('button').last();
            await openDialog(page, remove);
            found.push(...(await axeViolations(page, at('users remove dialog'))));
            await closeDialog(page);
          }
        }
        await page.context().close();
        expect(problems).toEqual([]);
      }
      expect(found).toEqual([]);
      // An admin reaches every page, so a renamed or missing nav link cannot hide a page from axe.
      if (role === 'admin') expect([...visited].sort()).toEqual(['/audit', '/health', '/jobs', '/playground', '/users', 'bulk dialog', 'job page']);
      if (role === 'support') expect(visited).toContain('bulk dialog');
    });
  }
});

/** The nav link's accessible name for a path, whatever the language (read from its href). */
async function navName(page: Page, path: string): Promise<string> {
  const link = page.getByRole('navigation').locator(`a[href^="${path}"]`);
  if (!(await link.count())) return '\u0000none';
  return ((await link.first().textContent()) ?? '').trim();
}
