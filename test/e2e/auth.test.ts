import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

describe.skipIf(!chromiumPath())('staff sign-in in Chromium', () => {
  const suite = browserSuite({ role: null });

  const signInThroughThePage = async (role: string) => {
    await suite.page.goto(`${suite.linkdesk.url}/links?page_size=10`);
    await suite.page.waitForURL(/\/sign-in\?redirect=/);
    await suite.page.getByLabel('Username').fill(role);
    await suite.page.getByLabel('Password').fill(suite.linkdesk.accounts[role] ?? '');
    await suite.page.getByRole('button', { name: 'Sign in' }).click();
    await suite.page.waitForURL(/\/links\?page_size=10$/);
  };
  const rows = () => suite.page.locator('table tbody tr[aria-rowindex]');

  it('lets a viewer read but offers no delete, then signs out', async () => {
    await signInThroughThePage('viewer');
    await expect.poll(() => rows().count()).toBe(10);
    expect(await suite.page.getByRole('button', { name: /^Delete link/ }).count()).toBe(0);
    expect(await suite.page.getByRole('button', { name: /^Refresh link/ }).count()).toBe(0);
    // Signing out sends the sign-out and nothing that fails; a signed-out load logs no 401 either.
    const failed: string[] = [];
    suite.page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    });
    const logged: string[] = [];
    suite.page.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.waitForURL(/\/sign-in/);
    await expect.poll(() => suite.page.getByRole('heading', { name: 'Sign in to Linkdesk' }).isVisible()).toBe(true);
    await suite.page.goto(`${suite.linkdesk.url}/links`);
    await suite.page.waitForURL(/\/sign-in\?redirect=/);
    await expect.poll(() => suite.page.getByRole('heading', { name: 'Sign in to Linkdesk' }).isVisible()).toBe(true);
    await suite.page.waitForTimeout(300);
    expect(failed).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('lets support delete a link, and the deletion shows in the audit log', async () => {
    await signInThroughThePage('support');
    await expect.poll(() => rows().count()).toBe(10);
    const label = (await rows().nth(1).getByRole('link').getAttribute('aria-label')) ?? '';
    const id = label.replace('Open link ', '');
    await suite.page.getByRole('button', { name: `Delete link ${id.slice(0, 8)}` }).click();
    await suite.page.getByRole('alertdialog').getByRole('button', { name: 'Delete link' }).click();
    await expect.poll(() => suite.page.getByText('Deleting…').count()).toBeGreaterThan(0);

    await suite.page.getByRole('link', { name: 'Audit log' }).click();
    await suite.page.waitForURL(/\/audit/);
    const entry = suite.page.locator('tr', { hasText: 'Delete link' }).filter({ hasText: 'accepted' });
    await expect.poll(() => entry.count()).toBeGreaterThan(0);
    expect(await entry.first().textContent()).toContain('support');
    expect(await entry.first().textContent()).toContain(id.slice(0, 8));
    await suite.page.getByLabel('Person').selectOption('support');
    await suite.page.waitForURL(/actor=support/);

    await suite.page.getByRole('button', { name: 'Sign out' }).click();
    await suite.page.waitForURL(/\/sign-in/);
    const afterSignOut = await suite.page.request.get(`${suite.linkdesk.url}/api/links/?page_size=1`);
    expect(afterSignOut.status()).toBe(401);
  });

  it('shows an anonymous visitor nothing but the sign-in page', async () => {
    const requested: string[] = [];
    suite.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await suite.page.goto(`${suite.linkdesk.url}/links/00000000-0000-4000-8000-000000000000`);
    await suite.page.waitForURL(/\/sign-in/);
    await expect.poll(() => suite.page.getByRole('heading', { name: 'Sign in to Linkdesk' }).isVisible()).toBe(true);
    expect(requested.filter((path) => path.startsWith('/api/'))).toEqual([]);
    expect((await suite.page.request.get(`${suite.linkdesk.url}/api/links/`)).status()).toBe(401);
  });
});
