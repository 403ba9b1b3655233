import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

describe.skipIf(!chromiumPath())('reconnect link in Chromium', () => {
  const suite = browserSuite({ role: 'support' });

  it('support makes a reconnect link, the end user repairs the link on the widget page, and the dashboard turns valid', async () => {
    const { page, linkdesk } = suite;
    await page.goto(`${linkdesk.url}/links?status=invalid&institution=erebor_mx_retail&page_size=10`);
    const rows = page.locator('table tbody tr[aria-rowindex]');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const id = ((await rows.first().getByRole('link').getAttribute('aria-label')) ?? '').replace('Open link ', '');
    await page.getByRole('link', { name: `Open link ${id}` }).click();

    await page.getByRole('button', { name: `Make a reconnect link for link ${id.slice(0, 8)}` }).click();
    const dialog = page.getByRole('dialog', { name: `Reconnect link ${id.slice(0, 8)}` });
    const field = dialog.getByRole('textbox', { name: /Reconnect link/ });
    await expect.poll(() => field.inputValue()).toContain('/belvo-sim/widget/?access_token=');
    const url = await field.inputValue();
    await expect.poll(() => dialog.getByRole('img', { name: 'QR code of the reconnect link' }).isVisible()).toBe(true);
    expect(await dialog.getByRole('timer').textContent()).toMatch(/^(10:00|09:5\d)$/);

    // The end user, in another browser with no Linkdesk session.
    const endUser = await (await page.context().browser()?.newContext())?.newPage();
    if (!endUser) throw new Error('no second browser context');
    await endUser.goto(url);
    await endUser.getByLabel('Nueva contraseña').fill('new-password');
    await endUser.getByRole('button', { name: 'Reconectar' }).click();
    await expect.poll(() => endUser.getByRole('status').textContent()).toContain('Conectado');
    await endUser.context().close();

    // The LINK webhook reaches Linkdesk; its event stream makes this page re-read the link.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('button', { name: `Make a reconnect link for link ${id.slice(0, 8)}` }).count(), { timeout: 15_000 }).toBe(0);
  });
});
