import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

/** What has focus and whether a focus indicator is drawn on it (a radio's is on its label pill). */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const ringOn = element.matches('input[type=radio]') ? (element.closest('label') ?? element) : element;
    const ring = getComputedStyle(ringOn);
    return {
      name: `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30) ?? ''}`,
      label: element.getAttribute('aria-label') ?? (element.matches('input') ? element.closest('label')?.textContent : element.textContent)?.trim() ?? '',
      outline: `${ring.outlineStyle} ${ring.outlineWidth} ${ring.outlineColor}`,
      ringVisible: ring.outlineStyle !== 'none' && parseFloat(ring.outlineWidth) >= 2,
    };
  });
}

/** Tabs until `matches` holds, checking a visible focus indicator on every control on the way. */
async function tabTo(page: Page, matches: (label: string) => boolean, limit = 40) {
  for (let step = 0; step < limit; step += 1) {
    await page.keyboard.press('Tab');
    const focus = await focused(page);
    if (!focus) continue;
    expect(focus.ringVisible, `${focus.name}: ${focus.outline}`).toBe(true);
    if (matches(focus.label)) return focus;
  }
  throw new Error('never reached the control by Tab');
}

describe.skipIf(!chromiumPath())('keyboard users in Chromium', () => {
  const suite = browserSuite({ role: 'support' });

  it('see a focus ring on every control they Tab to', async () => {
    const { page, linkdesk } = suite;
    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBe(10);
    const seen: string[] = [];
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      const focus = await focused(page);
      if (!focus) continue;
      seen.push(focus.name);
      expect(focus.outline, focus.name).toBe('solid 2px rgb(59, 91, 219)');
    }
    expect(seen.length).toBeGreaterThan(8);
  });

  it('go list → link → refresh dialog → back with the keyboard alone, focus returned after each dialog', async () => {
    const { page, linkdesk } = suite;
    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBe(10);

    // Arrows move through the status filter, as in any radio group.
    await tabTo(page, (label) => label.startsWith('All'));
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/status=valid/);
    expect((await focused(page))?.ringVisible).toBe(true);

    const row = page.locator('table tbody tr[aria-rowindex]').first();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('Valid');
    const openLabel = (await row.getByRole('link').first().getAttribute('aria-label')) ?? '';
    const linkId = openLabel.replace('Open link ', '');
    await tabTo(page, (label) => label === openLabel);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/links/${linkId}$`));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(linkId.slice(0, 8));
    // Focus starts at the new page's content, not on <body>.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    const refreshLabel = `Refresh link ${linkId.slice(0, 8)}`;
    await tabTo(page, (label) => label === refreshLabel);
    for (const close of ['Escape', 'Cancel'] as const) {
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      const inside = await focused(page);
      expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
      expect(inside?.ringVisible || inside?.name.startsWith('div'), inside?.name).toBe(true);
      if (close === 'Escape') await page.keyboard.press('Escape');
      else {
        await tabTo(page, (label) => label === 'Cancel');
        await page.keyboard.press('Enter');
      }
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(async () => (await focused(page))?.label).toBe(refreshLabel);
      expect((await focused(page))?.ringVisible).toBe(true);
    }

    await page.keyboard.press('Shift+Tab');
    await page.keyboard.down('Shift');
    for (let step = 0; step < 10 && !((await focused(page))?.label ?? '').includes('Back to links'); step += 1) await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect((await focused(page))?.ringVisible).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/links\?.*status=valid/);
    await expect.poll(() => page.getByRole('radio', { name: /^Valid/ }).isChecked()).toBe(true);
  });
});
