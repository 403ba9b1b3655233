import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, startLinkdesk, watchForErrors, type Linkdesk } from './harness.ts';

describe.skipIf(!chromiumPath())('staff sign-in in Chromium', () => {
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
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    problems = watchForErrors(page);
  });
  afterEach(async () => {
    await page.context().close();
    expect(problems).toEqual([]);
  });

  const signInThroughThePage = async (role: string) => {
    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByLabel('Username').fill(role);
    await page.getByLabel('Password').fill(linkdesk.accounts[role] ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/links\?page_size=10$/);
  };
  const rows = () => page.locator('table tbody tr[aria-rowindex]');

  it('lets a viewer read but offers no delete, then signs out', async () => {
    await signInThroughThePage('viewer');
    await expect.poll(() => rows().count()).toBe(10);
    expect(await page.getByRole('button', { name: /^Delete link/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Refresh link/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${linkdesk.url}/links`);
    await page.waitForURL(/\/sign-in\?redirect=/);
  });

  it('lets support delete a link, and the deletion shows in the audit log', async () => {
    await signInThroughThePage('support');
    await expect.poll(() => rows().count()).toBe(10);
    const label = (await rows().nth(1).getByRole('link').getAttribute('aria-label')) ?? '';
    const id = label.replace('Open link ', '');
    await page.getByRole('button', { name: `Delete link ${id.slice(0, 8)}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete link' }).click();
    await expect.poll(() => page.getByText('Deleting…').count()).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(/\/audit/);
    const entry = page.locator('tr', { hasText: 'link.delete' }).filter({ hasText: 'accepted' });
    await expect.poll(() => entry.count()).toBeGreaterThan(0);
    expect(await entry.first().textContent()).toContain('support');
    expect(await entry.first().textContent()).toContain(id.slice(0, 8));
    await page.getByLabel('Person').selectOption('support');
    await page.waitForURL(/actor=support/);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    const afterSignOut = await page.request.get(`${linkdesk.url}/api/links/?page_size=1`);
    expect(afterSignOut.status()).toBe(401);
  });

  it('shows an anonymous visitor nothing but the sign-in page', async () => {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.goto(`${linkdesk.url}/links/00000000-0000-4000-8000-000000000000`);
    await page.waitForURL(/\/sign-in/);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Linkdesk' }).isVisible()).toBe(true);
    expect(requested.filter((path) => path.startsWith('/api/'))).toEqual([]);
    expect((await page.request.get(`${linkdesk.url}/api/links/`)).status()).toBe(401);
  });
});
