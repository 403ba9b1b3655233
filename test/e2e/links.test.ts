import { describe, expect, it } from 'vitest';
import { browserSuite, chromiumPath } from './harness.ts';

describe.skipIf(!chromiumPath())('links list in Chromium, served as npm start serves it', () => {
  const suite = browserSuite({ role: 'viewer' });

  const rows = () => suite.page.locator('table tbody tr[aria-rowindex]');

  it('filters by status, keeps the view in the URL across reload, back and forward, and opens a link', async () => {
    const response = await suite.page.goto(`${suite.linkdesk.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await suite.page.waitForURL(/\/links$/);
    await expect.poll(() => suite.page.getByText('Simulator — not Belvo').isVisible()).toBe(true);
    await expect.poll(() => rows().count()).toBeGreaterThan(10);

    await suite.page.locator('label', { hasText: /^Invalid/ }).click();
    await suite.page.waitForURL(/status=invalid/);
    await expect.poll(async () => (await rows().first().textContent()) ?? '').toContain('Invalid');
    const statuses = await rows().locator('td:nth-child(4)').allTextContents();
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((text) => text.includes('Invalid'))).toBe(true);

    await suite.page.reload();
    await expect.poll(() => suite.page.getByRole('radio', { name: /^Invalid/ }).isChecked()).toBe(true);
    await expect.poll(async () => (await rows().first().textContent()) ?? '').toContain('Invalid');

    await suite.page.goBack();
    await suite.page.waitForURL(/\/links$/);
    await expect.poll(() => suite.page.getByRole('radio', { name: /^All/ }).isChecked()).toBe(true);
    await suite.page.goForward();
    await suite.page.waitForURL(/status=invalid/);
    await expect.poll(() => suite.page.getByRole('radio', { name: /^Invalid/ }).isChecked()).toBe(true);

    const firstLink = rows().first().getByRole('link');
    const label = (await firstLink.getAttribute('aria-label')) ?? '';
    const id = label.replace('Open link ', '');
    await firstLink.click();
    await suite.page.waitForURL(new RegExp(`/links/${id}$`));
    await expect.poll(() => suite.page.getByRole('heading', { name: new RegExp(`Link ${id.slice(0, 8)}`) }).isVisible()).toBe(true);
    const raw = await suite.page.getByRole('region', { name: 'Raw JSON' }).locator('pre').textContent();
    expect(JSON.parse(raw ?? '{}')).toMatchObject({ id, status: 'invalid' });

    await suite.page.getByRole('link', { name: /Back to links/ }).click();
    await suite.page.waitForURL(/status=invalid/);
  });

  it('finds links by external_id in the search box once the index is ready, and keeps it in the URL', async () => {
    // npm start syncs the index at start-up; once it has, the list reads it (the Belvo-backed
    // list's external_id validation is covered by the component tests).
    await expect
      .poll(async () => ((await (await suite.page.request.get(`${suite.linkdesk.url}/bff/index/status`)).json()) as { state: string }).state, { timeout: 30_000 })
      .toBe('ready');
    await suite.page.goto(`${suite.linkdesk.url}/links?page_size=10`);
    await expect.poll(() => rows().count()).toBe(10);
    const externalIds = await rows().locator('td:nth-child(3)').allTextContents();
    const externalId = externalIds.find((text) => text !== 'Missing (orphan)') ?? '';
    const input = suite.page.getByRole('searchbox', { name: 'Search' });
    await input.fill(externalId);
    await input.press('Enter');
    await suite.page.waitForURL(new RegExp(`q=${externalId}`));
    await expect.poll(async () => (await rows().locator('td:nth-child(3)').allTextContents()).every((text) => text.startsWith(externalId))).toBe(true);
    await suite.page.reload();
    await expect.poll(() => input.inputValue()).toBe(externalId);
  });

  it('renders a long page a screenful at a time and brings in the rest as the table scrolls', async () => {
    await suite.page.goto(`${suite.linkdesk.url}/links?page_size=100`);
    await expect.poll(() => suite.page.getByRole('table').getAttribute('aria-rowcount')).toBe('101');
    const rendered = await rows().count();
    // A screenful and some, not a hundred rows.
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(await rows().last().getAttribute('aria-rowindex')).not.toBe('101');
    await rows().first().evaluate((row) => {
      const frame = row.closest('table')?.parentElement;
      if (frame) frame.scrollTop = frame.scrollHeight;
    });
    await expect.poll(() => rows().last().getAttribute('aria-rowindex')).toBe('101');
    expect(await rows().count()).toBeLessThan(60);
  });

  it('remembers the chosen language across a reload', async () => {
    await suite.page.goto(`${suite.linkdesk.url}/links?page_size=10`);
    await suite.page.getByLabel('Language').selectOption('es-419');
    await expect.poll(() => suite.page.getByText('Simulador — no es Belvo').isVisible()).toBe(true);
    await suite.page.reload();
    await expect.poll(() => suite.page.getByRole('radio', { name: /^Inválido/ }).isVisible()).toBe(true);
    expect(await suite.page.evaluate(() => document.documentElement.lang)).toBe('es-419');
  });
});
