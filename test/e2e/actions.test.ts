import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

describe.skipIf(!chromiumPath())('delete and refresh in Chromium', () => {
  const suite = browserSuite({ role: 'support' });

  const rows = () => suite.page.locator('table tbody tr[aria-rowindex]');
  const idOfRow = async (index: number) => ((await rows().nth(index).getByRole('link').getAttribute('aria-label')) ?? '').replace('Open link ', '');

  it('deletes a link asynchronously and sees it go when Belvo confirms', async () => {
    await suite.page.goto(`${suite.linkdesk.url}/links?page_size=10`);
    await expect.poll(() => rows().count()).toBe(10);
    const id = await idOfRow(3);
    const row = suite.page.locator('tr', { has: suite.page.getByRole('link', { name: `Open link ${id}` }) });
    await row.getByRole('button', { name: `Delete link ${id.slice(0, 8)}` }).click();
    const dialog = suite.page.getByRole('alertdialog');
    await expect.poll(() => dialog.getByText(id).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete link' }).click();
    await expect.poll(() => row.getByText('Deleting…').isVisible()).toBe(true);
    // The simulator deletes a few seconds later and posts link_deleted; the server's event stream
    // tells the page, and the row leaves.
    await expect.poll(() => suite.page.getByRole('link', { name: `Open link ${id}` }).count(), { timeout: 15_000 }).toBe(0);
    await suite.page.goto(`${suite.linkdesk.url}/links/${id}`);
    await expect.poll(() => suite.page.getByRole('heading', { name: 'Link not found' }).isVisible()).toBe(true);
  });

  it('refreshes a link, shows the countdown, and blocks a second refresh across a reload', async () => {
    await suite.page.goto(`${suite.linkdesk.url}/links?status=valid&institution=erebor_mx_retail&page_size=10`);
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    const id = await idOfRow(0);
    await suite.page.getByRole('link', { name: `Open link ${id}` }).click();
    await suite.page.getByRole('button', { name: `Refresh link ${id.slice(0, 8)}` }).click();
    const dialog = suite.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Request refresh' }).click();
    await expect.poll(() => dialog.getByText('Refresh requested').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();

    const blocked = suite.page.getByRole('button', { name: new RegExp(`Refresh link ${id.slice(0, 8)} possible in`) });
    await expect.poll(() => blocked.isDisabled()).toBe(true);
    const first = await suite.page.getByRole('timer').first().textContent();
    expect(first).toMatch(/^(10:00|09:5\d)$/);
    await expect.poll(async () => suite.page.getByRole('timer').first().textContent(), { timeout: 5_000 }).not.toBe(first);

    await suite.page.reload();
    await expect.poll(() => blocked.isDisabled()).toBe(true);
    await expect.poll(() => suite.page.getByRole('region', { name: 'Activity' }).getByText(/ACCOUNTS/).count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await suite.page.goto(`${suite.linkdesk.url}/links?status=valid&institution=erebor_mx_retail&page_size=10`);
    const row = suite.page.locator('tr', { has: suite.page.getByRole('link', { name: `Open link ${id}` }) });
    await expect.poll(() => row.getByRole('timer').isVisible()).toBe(true);
  });
});
