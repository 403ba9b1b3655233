import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

describe.skipIf(!chromiumPath())('keyboard users in Chromium', () => {
  const suite = browserSuite({ role: 'support' });

  it('see a focus ring on every control they Tab to', async () => {
    const { page, linkdesk } = suite;
    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBe(10);
    const seen: string[] = [];
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        const style = getComputedStyle(element);
        // A radio's ring is drawn on its label pill (has-[:focus-visible]).
        const ringOn = element.matches('input[type=radio]') ? (element.closest('label') ?? element) : element;
        const ring = getComputedStyle(ringOn);
        return {
          name: `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30) ?? ''}`,
          outline: `${ring.outlineStyle} ${ring.outlineWidth} ${ring.outlineColor}`,
          boxShadow: style.boxShadow,
        };
      });
      if (!focus) continue;
      seen.push(focus.name);
      expect(focus.outline, focus.name).toBe('solid 2px rgb(59, 91, 219)');
    }
    expect(seen.length).toBeGreaterThan(8);
  });
});
