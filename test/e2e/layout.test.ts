import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

const languages = ['en', 'pt-BR', 'es-419'] as const;

describe.skipIf(!chromiumPath())('the links page fits the screen in Chromium', () => {
  // An admin sees the most controls in a row (Refresh and Delete).
  const suite = browserSuite({ role: 'admin' });

  async function open(language: string, width: number, height: number) {
    const { page, linkdesk } = suite;
    await page.setViewportSize({ width, height });
    await page.evaluate((code) => localStorage.setItem('linkdesk.language', code), language).catch(() => undefined);
    await page.goto(`${linkdesk.url}/links?page_size=25`);
    await page.evaluate((code) => localStorage.setItem('linkdesk.language', code), language);
    await page.reload();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBeGreaterThan(5);
  }

  /** How far the table is wider than its frame, and the page wider than the viewport. */
  const overflow = () =>
    suite.page.evaluate(() => {
      const table = document.querySelector('main table');
      const frame = table?.parentElement;
      return {
        table: table && frame ? table.scrollWidth - frame.clientWidth : -1,
        page: document.documentElement.scrollWidth - window.innerWidth,
      };
    });

  it('has no sideways scrolling of the links table at 1280 and 1440 px, in every language', async () => {
    const found: string[] = [];
    for (const language of languages) {
      for (const width of [1280, 1440]) {
        await open(language, width, 900);
        const { table, page } = await overflow();
        if (table > 0 || page > 0) found.push(`${language} ${width}px: table +${table}px, page +${page}px`);
      }
    }
    expect(found).toEqual([]);
  });

  it('shows status and actions without sideways scrolling on a 390 px phone, in every language', async () => {
    const found: string[] = [];
    for (const language of languages) {
      await open(language, 390, 844);
      const { page } = await overflow();
      if (page > 0) found.push(`${language}: page +${page}px`);
      const row = suite.page.locator('table tbody tr[aria-rowindex]').first();
      const visible = await row.evaluate((element) => {
        const inView = (target: Element | null) => {
          if (!target) return false;
          const box = target.getBoundingClientRect();
          return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
        };
        const frame = element.closest('table')?.parentElement;
        return {
          tableFits: frame ? frame.scrollWidth <= frame.clientWidth : false,
          status: inView(element.querySelector('[data-status]')),
          actions: [...element.querySelectorAll('td:last-child button')].every(inView) && element.querySelectorAll('td:last-child button').length > 0,
        };
      });
      if (!visible.tableFits || !visible.status || !visible.actions) found.push(`${language}: ${JSON.stringify(visible)}`);
      // The header takes at most two rows; the filters start collapsed.
      const headerHeight = await suite.page.locator('header > div').first().evaluate((element) => element.getBoundingClientRect().height);
      if (headerHeight > 100) found.push(`${language}: header ${headerHeight}px tall`);
      const toggle = suite.page.locator('main section button[aria-expanded]');
      if ((await toggle.getAttribute('aria-expanded')) !== 'false' || (await suite.page.getByRole('radio').first().isVisible())) found.push(`${language}: filters not folded`);
      await toggle.click();
      if (!(await suite.page.getByRole('radio').first().isVisible())) found.push(`${language}: filters do not unfold`);
    }
    expect(found).toEqual([]);
  });

  it('loads the links page without moving what is already on screen (CLS ≈ 0)', async () => {
    const { page, linkdesk } = suite;
    await page.setViewportSize({ width: 1350, height: 940 });
    await page.addInitScript(() => {
      const shifts: number[] = [];
      (window as unknown as { __shifts: number[] }).__shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) shifts.push(entry.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${linkdesk.url}/links`);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBeGreaterThan(10);
    await expect.poll(() => page.getByRole('radio', { name: /^Valid \(/ }).count()).toBe(1);
    await page.waitForTimeout(300);
    const cls = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts.reduce((sum, value) => sum + value, 0));
    expect(cls).toBeLessThan(0.01);
  });

  it('shows the whole users table on a 390 px phone, in every language', async () => {
    const { page, linkdesk } = suite;
    const found: string[] = [];
    for (const language of languages) {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${linkdesk.url}/users`);
      await page.evaluate((code) => localStorage.setItem('linkdesk.language', code), language);
      await page.reload();
      await expect.poll(() => page.locator('main table tbody tr').count()).toBeGreaterThan(3);
      const fit = await page.evaluate(() => {
        const frame = document.querySelector('main table')?.parentElement;
        return { page: document.documentElement.scrollWidth - window.innerWidth, table: frame ? frame.scrollWidth - frame.clientWidth : -1 };
      });
      if (fit.page > 0 || fit.table > 0) found.push(`${language}: page +${fit.page}px, table +${fit.table}px`);
    }
    expect(found).toEqual([]);
  });
});
