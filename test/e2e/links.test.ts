import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, signIn, startLinkdesk, watchForErrors, type Linkdesk } from './harness.ts';

describe.skipIf(!chromiumPath())('links list in Chromium, served as npm start serves it', () => {
  let linkdesk: Linkdesk;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [linkdesk, browser] = await Promise.all([startLinkdesk(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await linkdesk?.stop();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    problems = watchForErrors(page);
    await signIn(page, linkdesk, 'viewer');
  });
  afterEach(async () => {
    await page.close();
    expect(problems).toEqual([]);
  });

  const rows = () => page.locator('table tbody tr[aria-rowindex]');

  it('filters by status, keeps the view in the URL across reload, back and forward, and opens a link', async () => {
    const response = await page.goto(`${linkdesk.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForURL(/\/links$/);
    await expect.poll(() => page.getByText('Simulator — not Belvo').isVisible()).toBe(true);
    await expect.poll(() => rows().count()).toBeGreaterThan(10);

    await page.locator('label', { hasText: /^Invalid/ }).click();
    await page.waitForURL(/status=invalid/);
    await expect.poll(async () => (await rows().first().textContent()) ?? '').toContain('Invalid');
    const statuses = await rows().locator('td:nth-child(4)').allTextContents();
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((text) => text.includes('Invalid'))).toBe(true);

    await page.reload();
    await expect.poll(() => page.getByRole('radio', { name: /^Invalid/ }).isChecked()).toBe(true);
    await expect.poll(async () => (await rows().first().textContent()) ?? '').toContain('Invalid');

    await page.goBack();
    await page.waitForURL(/\/links$/);
    await expect.poll(() => page.getByRole('radio', { name: /^All/ }).isChecked()).toBe(true);
    await page.goForward();
    await page.waitForURL(/status=invalid/);
    await expect.poll(() => page.getByRole('radio', { name: /^Invalid/ }).isChecked()).toBe(true);

    const firstLink = rows().first().getByRole('link');
    const label = (await firstLink.getAttribute('aria-label')) ?? '';
    const id = label.replace('Open link ', '');
    await firstLink.click();
    await page.waitForURL(new RegExp(`/links/${id}$`));
    await expect.poll(() => page.getByRole('heading', { name: new RegExp(`Link ${id.slice(0, 8)}`) }).isVisible()).toBe(true);
    const raw = await page.getByRole('region', { name: 'Raw JSON' }).locator('pre').textContent();
    expect(JSON.parse(raw ?? '{}')).toMatchObject({ id, status: 'invalid' });

    await page.getByRole('link', { name: /Back to links/ }).click();
    await page.waitForURL(/status=invalid/);
  });

  it('validates external_id as it is typed and filters on Enter', async () => {
    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await expect.poll(() => rows().count()).toBe(10);
    const externalId = (await rows().nth(0).locator('td:nth-child(3)').textContent()) ?? '';
    const input = page.getByLabel('External ID');
    await input.fill('x!');
    await expect.poll(() => page.getByText(/Not a valid external_id/).isVisible()).toBe(true);
    await input.fill(externalId);
    await input.press('Enter');
    await page.waitForURL(new RegExp(`external_id=${externalId}`));
    await expect.poll(async () => (await rows().locator('td:nth-child(3)').allTextContents()).every((text) => text === externalId)).toBe(true);
  });

  it('remembers the chosen language across a reload', async () => {
    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await page.getByLabel('Language').selectOption('es-419');
    await expect.poll(() => page.getByText('Simulador — no es Belvo').isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('radio', { name: /^Inválido/ }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es-419');
  });
});
