import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IndexStatus } from '../../src/contract/bff/link-index.ts';
import { indexCsvColumns } from '../../src/contract/bff/link-index.ts';
import { browserSuite, chromiumPath } from './harness.ts';

/** RFC 4180 rows: quoted cells, doubled quotes, line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe.skipIf(!chromiumPath())('a product manager audits link health in Chromium', () => {
  const suite = browserSuite({ role: 'viewer' });

  it('opens Health, follows a duplicate group to its links, and exports exactly those links as CSV', async () => {
    const { page, linkdesk } = suite;
    // The start-up sync must have completed: the journey reads the index.
    await expect
      .poll(async () => ((await (await page.request.get(`${linkdesk.url}/bff/index/status`)).json()) as IndexStatus).state, { timeout: 30_000 })
      .toBe('ready');

    await page.goto(`${linkdesk.url}/links`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Health' }).click();
    await page.waitForURL(/\/health$/);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Link health' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('region', { name: 'Index freshness' }).getByText(/Last full sync:/).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);

    const duplicates = page.getByRole('region', { name: 'Duplicate links' });
    const firstGroup = duplicates.getByRole('listitem').filter({ has: page.getByRole('table') }).first();
    const groupLink = firstGroup.getByRole('link', { name: /^Open these \d+ links in the list$/ });
    const groupSize = Number(/\d+/.exec((await groupLink.textContent()) ?? '')?.[0]);
    expect(groupSize).toBeGreaterThan(1);
    const groupIds = await firstGroup.locator('tbody').getByRole('link').evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')?.replace('Open link ', '')));

    await groupLink.click();
    await page.waitForURL(/\/links\?.*q=/);
    await expect.poll(() => page.getByText(`${groupSize} links`, { exact: true }).isVisible()).toBe(true);
    const rows = page.locator('table tbody tr[aria-rowindex]');
    await expect.poll(() => rows.count()).toBe(groupSize);

    const download = page.getByRole('link', { name: `Download CSV (${groupSize})` });
    const href = (await download.getAttribute('href')) ?? '';
    const listQuery = new URL(page.url()).searchParams;
    expect(new URL(href, linkdesk.url).searchParams.get('q')).toBe(listQuery.get('q'));
    expect(new URL(href, linkdesk.url).searchParams.get('institution')).toBe(listQuery.get('institution'));
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^linkdesk-links-.*\.csv$/);
    const path = await file.path();
    const [header, ...records] = parseCsv(readFileSync(path, 'utf8')).filter((row) => row.some((cell) => cell !== ''));
    expect(header).toEqual([...indexCsvColumns]);
    expect(records).toHaveLength(groupSize);
    expect(records.map((record) => record[0]).sort()).toEqual([...groupIds].sort());
  });
});
