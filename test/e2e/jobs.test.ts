import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/contract/bff/jobs.ts';
import { browserSuite, chromiumPath } from './harness.ts';

/** The results CSV as rows by column name (quoted cells with doubled quotes; no cell spans lines). */
function csvRows(text: string): Record<string, string>[] {
  const [header = '', ...lines] = text.split('\r\n').filter((line) => line !== '');
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '').replaceAll('""', '"')) ?? [];
    return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
  });
}

describe.skipIf(!chromiumPath())('a support person cleans up a duplicate group in Chromium', () => {
  const suite = browserSuite({ role: 'support' });

  it('acts on a group’s older links from Health, confirms, and watches the job finish', async () => {
    const { page, linkdesk } = suite;
    await page.goto(`${linkdesk.url}/health`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Link health' }).isVisible(), { timeout: 15_000 }).toBe(true);

    const duplicates = page.getByRole('region', { name: 'Duplicate links' });
    const group = duplicates.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Act on the \d+ older links?…$/ }) }).first();
    const act = group.getByRole('button', { name: /^Act on the \d+ older links?…$/ });
    const older = Number(/\d+/.exec((await act.textContent()) ?? '')?.[0]);
    expect(older).toBeGreaterThan(0);
    const candidateIds = await group
      .locator('tbody tr')
      .filter({ hasText: 'Candidate to delete' })
      .getByRole('link')
      .evaluateAll((links) => links.map((link) => link.getAttribute('aria-label')?.replace('Open link ', '') ?? ''));
    expect(candidateIds).toHaveLength(older);

    await act.click();
    const dialog = page.getByRole('alertdialog', { name: 'Act on several links' });
    await expect.poll(() => dialog.getByText(`${older} will be sent, 0 will be skipped.`, { exact: false }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await dialog.getByRole('radio', { name: /Delete, asynchronously/ }).isChecked()).toBe(true);
    const phrase = `delete ${older} ${older === 1 ? 'link' : 'links'}`;
    const start = dialog.getByRole('button', { name: 'Start deleting' });
    expect(await start.isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: `To start, type: ${phrase}` }).fill(phrase);
    await start.click();

    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    const jobId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await expect.poll(() => page.getByRole('heading', { level: 1, name: new RegExp(`^Delete job ${jobId.slice(0, 8)}`) }).isVisible()).toBe(true);
    const bar = page.getByRole('progressbar', { name: 'Links finished' });
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(older));
    // The page follows the job by its events: no reload.
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe(String(older));
    // The state badge beside the heading.
    await expect.poll(() => page.locator('main div:has(> h1)').getByText('Done', { exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);

    const job = (await (await page.request.get(`${linkdesk.url}/bff/jobs/${jobId}`)).json()) as Job;
    expect(job).toMatchObject({ state: 'done', total: older, done: older, failed: 0, skipped: 0, outcome_unknown: 0 });
    expect((job.items ?? []).map((item) => item.link_id).sort()).toEqual([...candidateIds].sort());
    for (const item of job.items ?? []) {
      expect(item).toMatchObject({ state: 'done', http_status: 202 });
      expect(item.request_id).toMatch(/\S{8,}/);
    }
    const results = page.getByRole('table', { name: 'Each link’s result' });
    for (const item of job.items ?? []) expect(await results.getByText(item.request_id ?? '', { exact: true }).isVisible()).toBe(true);

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download results (CSV)' }).click()]);
    expect(file.suggestedFilename()).toBe(`linkdesk-job-${jobId}.csv`);
    const rows = csvRows(readFileSync(await file.path(), 'utf8'));
    expect(rows.map((row) => row.link_id).sort()).toEqual([...candidateIds].sort());
    for (const row of rows) {
      expect(row.state).toBe('done');
      expect(row.belvo_request_id).toBe(job.items?.find((item) => item.link_id === row.link_id)?.request_id);
    }

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
    await page.waitForURL(/\/jobs$/);
    const table = page.getByRole('table', { name: 'Bulk jobs, newest first' });
    const row = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: `Open job ${jobId}` }) });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.textContent()).toMatch(/Delete/);
    expect(await row.textContent()).toMatch(/Done/);
  });
});
