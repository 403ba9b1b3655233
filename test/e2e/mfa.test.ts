import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

/** Reads the QR code in a screenshot of `target` the way a phone would. */
async function scan(target: Locator): Promise<string | null> {
  const png = PNG.sync.read(await target.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe.skipIf(!chromiumPath())('MFA in Chromium', () => {
  const suite = browserSuite({ role: 'qa', viewport: { width: 1400, height: 1000 } });
  beforeEach(async () => {
    await suite.page.goto(`${suite.linkdesk.url}/playground`);
  });

  const register = async (preset: RegExp) => {
    await suite.page.getByRole('button', { name: preset }).click();
    await suite.page.getByRole('button', { name: 'Register', exact: true }).click();
    const dialog = suite.page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    return dialog;
  };

  it('goes from the playground through a numeric challenge to a valid link', async () => {
    const dialog = await register(/Numeric code/);
    const code = await dialog.getByText(/^\d{6}$/).textContent();
    expect(code).toMatch(/^\d{6}$/);
    await dialog.getByRole('textbox').fill('111111');
    await dialog.getByRole('button', { name: 'Send token' }).click();
    await expect.poll(() => suite.page.getByText('Link created (valid).').isVisible()).toBe(true);
    await suite.page.getByRole('link', { name: 'Open the link' }).click();
    await expect.poll(() => suite.page.getByRole('region', { name: 'Fields' }).getByText('Valid').isVisible()).toBe(true);
  });

  it('shows a QR code a phone can scan, whether Belvo sends an image or text', async () => {
    const image = await register(/QR as an image/);
    const picture = image.getByRole('img', { name: /QR code to scan/ });
    await expect.poll(() => picture.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    expect(await scan(picture)).toMatch(/^belvo-mfa:heimdall:[a-f0-9]{32}:\d{6}$/);
    await suite.page.keyboard.press('Escape');
    await image.getByRole('button', { name: 'Abandon' }).click();

    const text = await register(/QR as text to draw/);
    const drawn = text.getByRole('img', { name: /QR code to scan/ });
    expect(await drawn.evaluate((element) => element.tagName.toLowerCase())).toBe('svg');
    expect(await scan(drawn)).toMatch(/^belvo-mfa:heimdall:[a-f0-9]{32}:\d{6}$/);
  });

  it('asks the security question', async () => {
    const dialog = await register(/Security question/);
    const answer = dialog.getByLabel('What was the name of your first pet?');
    await answer.fill('firulais');
    await answer.press('Enter');
    await expect.poll(() => suite.page.getByText('Link created (valid).').isVisible()).toBe(true);
  });

  it('takes the expiry path: the session ends, Belvo says so, and the user starts again', async () => {
    const dialog = await register(/20-second session/);
    // Move the simulator's clock past the 20-second session instead of waiting.
    const moved = await suite.page.request.post(`${suite.linkdesk.url}/bff/sim/clock/advance`, { data: { seconds: 25 }, headers: { 'x-linkdesk-csrf': '1' } });
    expect(moved.ok()).toBe(true);
    await dialog.getByRole('textbox').fill('111111');
    await dialog.getByRole('button', { name: 'Send token' }).click();
    await expect.poll(() => dialog.getByText(/The session expired before the token arrived/).isVisible()).toBe(true);
    await expect.poll(() => dialog.getByText(/The session you are trying to resume has expired/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Start again' }).click();
    await expect.poll(() => dialog.getByRole('textbox').isVisible()).toBe(true);
    await dialog.getByRole('textbox').fill('111111');
    await dialog.getByRole('button', { name: 'Send token' }).click();
    await expect.poll(() => suite.page.getByText('Link created (valid).').isVisible()).toBe(true);
  });
});
