import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Health } from '../../src/contract/bff/link-index.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { currentSearch, renderApp } from './render-app.tsx';

const en = (value: number) => value.toLocaleString('en');
const statusLabel = { valid: 'Valid', invalid: 'Invalid', unconfirmed: 'Unconfirmed', token_required: 'Token required' } as const;

async function syncedStack(options: Parameters<typeof createTestStack>[0] = {}): Promise<TestStack> {
  const stack = await createTestStack(options);
  await stack.indexSync.syncNow();
  return stack;
}

function dataRows() {
  return within(screen.getByRole('table')).getAllByRole('row').slice(1);
}

describe('the Health page', () => {
  it('shows status by institution, and each number opens exactly those links in the list', async () => {
    const stack = await syncedStack();
    const { user, router } = await renderApp('/health', { stack, role: 'viewer' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Link health' })).toBeInTheDocument();
    const matrix = await screen.findByRole('table', { name: 'Status by institution' });

    const links = stack.sim.links();
    const sample = links.find((link) => link.status === 'invalid') ?? links[0];
    if (!sample) throw new Error('the simulator has no links');
    const expected = links.filter((link) => link.institution === sample.institution && link.status === sample.status).length;
    const cell = within(matrix).getByRole('link', { name: `${expected} ${statusLabel[sample.status]} links at ${sample.institution}: open them in the list` });
    // Totals: one row per institution plus the header and the totals row; the grand total is every link.
    const institutions = new Set(links.map((link) => link.institution));
    expect(within(matrix).getAllByRole('row')).toHaveLength(institutions.size + 2);
    expect(within(matrix).getByRole('link', { name: `${en(links.length)} links` })).toBeInTheDocument();

    await user.click(cell);
    await waitFor(() => expect(currentSearch(router)).toEqual({ status: sample.status, institution: sample.institution }));
    expect(await screen.findByText(`${en(expected)} ${expected === 1 ? 'link' : 'links'}`)).toBeInTheDocument();
    await waitFor(() => expect(dataRows()).toHaveLength(expected));
  });

  it('counts orphans and says what to do about them, with a link to all of them', async () => {
    const stack = await syncedStack();
    const { user, router } = await renderApp('/health', { stack, role: 'viewer' });
    const orphans = stack.sim.links().filter((link) => link.external_id === null).length;
    const section = await screen.findByRole('region', { name: 'Orphan links' });
    expect(within(section).getByText(en(orphans))).toBeInTheDocument();
    expect(within(section).getByText(/store the link id with that user/)).toBeInTheDocument();
    await user.click(within(section).getByRole('link', { name: `Open the ${orphans} orphans in the list` }));
    await waitFor(() => expect(currentSearch(router)).toEqual({ orphan: 'true' }));
    expect(await screen.findByText(`${en(orphans)} links`)).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Orphans only' })).toBeChecked();
  });

  it('lists duplicate groups newest first, marks the one to keep, and opens a group in the list', async () => {
    const stack = await syncedStack();
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    const group = health.duplicate_groups[0];
    if (!group) throw new Error('the simulator made no duplicate groups');
    const { user, router } = await renderApp('/health', { stack, role: 'viewer' });
    const section = await screen.findByRole('region', { name: 'Duplicate links' });
    expect(within(section).getByText(new RegExp(`^${health.duplicate_group_count} groups of links`))).toBeInTheDocument();

    const card = within(section).getByRole('listitem', { name: new RegExp(`user ${group.institution_user_id.slice(0, 12)}`) });
    const rows = within(within(card).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('link').getAttribute('aria-label'))).toEqual(group.links.map((link) => `Open link ${link.id}`));
    const keep = group.links.find((link) => link.status === 'valid') ?? group.links[0];
    const keptRow = rows[group.links.findIndex((link) => link.id === keep?.id)] as HTMLElement;
    expect(within(keptRow).getByText(/^Keep/)).toBeInTheDocument();
    expect(within(card).getAllByText('Candidate to delete')).toHaveLength(group.links.length - 1);

    await user.click(within(card).getByRole('link', { name: `Open these ${group.links.length} links in the list` }));
    await waitFor(() => expect(currentSearch(router)).toEqual({ institution: group.institution, q: group.institution_user_id }));
    await waitFor(() => expect(dataRows()).toHaveLength(group.links.length));
    const shown = dataRows().map((row) => within(row).getAllByRole('link')[0]?.getAttribute('aria-label'));
    expect(shown.sort()).toEqual(group.link_ids.map((id) => `Open link ${id}`).sort());
  });

  it('counts every duplicate group, and loads the older ones a page at a time when asked', async () => {
    // Every 40th seeded link has a duplicate: 4,400 links make more groups than two pages of 50.
    const stack = await syncedStack({ sim: { linkCount: 4_400 } });
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    const count = health.duplicate_group_count;
    expect(count).toBeGreaterThan(100);
    expect(health.duplicate_groups).toHaveLength(50);
    const { user, forwarded } = await renderApp('/health', { stack, role: 'viewer' });
    const section = await screen.findByRole('region', { name: 'Duplicate links' });
    expect(within(section).getByText(new RegExp(`^${count} groups of links`))).toBeInTheDocument();
    const cards = () => within(section).getAllByRole('listitem', { name: /user / });
    expect(cards()).toHaveLength(12);
    expect(within(section).getByText(`Showing the newest 12 of ${count} groups. The list above has all of them.`)).toBeInTheDocument();
    const pages = () => forwarded.filter((request) => new URL(request.url).pathname === '/bff/health/duplicates').map((request) => new URL(request.url).search);
    expect(pages()).toEqual([]);

    await user.click(within(section).getByRole('button', { name: 'Show more groups' }));
    await waitFor(() => expect(cards()).toHaveLength(62));
    expect(pages()).toEqual(['?page=2&page_size=50']);
    // Newest first across the seam: the report's 50, then the page's.
    const page2 = (await (await stack.request('/bff/health/duplicates?page=2&page_size=50')).json()) as { groups: Health['duplicate_groups'] };
    const firstOfPage2 = page2.groups[0];
    if (!firstOfPage2) throw new Error('page 2 is empty');
    expect(cards()[50]).toHaveAccessibleName(new RegExp(`user ${firstOfPage2.institution_user_id.slice(0, 12)}`));

    await user.click(within(section).getByRole('button', { name: 'Show more groups' }));
    await waitFor(() => expect(cards()).toHaveLength(Math.min(count, 112)));
    expect(pages()).toEqual(['?page=2&page_size=50', '?page=3&page_size=50']);
    if (count <= 112) expect(within(section).queryByRole('button', { name: 'Show more groups' })).not.toBeInTheDocument();
  });

  it('shows the stale thresholds and the days that have a snapshot, with one day said plainly', async () => {
    const stack = await syncedStack();
    await renderApp('/health', { stack, role: 'viewer' });
    const stale = await screen.findByRole('region', { name: 'Stale links' });
    expect(within(stale).getByText(/Valid recurrent links not read for longer than \d+ × their refresh rate/)).toBeInTheDocument();
    expect(within(stale).getByText(/Invalid or token required for more than \d+ days/)).toBeInTheDocument();
    const history = screen.getByRole('region', { name: 'Daily counts by status' });
    expect(within(history).getByText('One daily snapshot so far (2026-11-25). The chart starts with the second day.')).toBeInTheDocument();
    expect(within(history).queryByRole('img')).not.toBeInTheDocument();
    const table = within(history).getByRole('table', { name: 'Daily counts by status' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
  });

  it('draws the daily history once there are two days, with the same numbers in a table', async () => {
    const stack = await syncedStack();
    stack.clock.advance(86_400_000);
    await stack.indexSync.syncNow();
    // A day later the test's staff session has ended; sign the viewer in again.
    const viewer = await stack.stores.users.byUsername('viewer');
    if (!viewer) throw new Error('no viewer account');
    stack.tokens.viewer = (await stack.stores.sessions.create(viewer.id)).token;
    await renderApp('/health', { stack, role: 'viewer' });
    const history = await screen.findByRole('region', { name: 'Daily counts by status' });
    expect(within(history).getByText(/^2 days with a snapshot, from 2026-11-25 to 2026-11-26/)).toBeInTheDocument();
    // The chart library is a chunk of its own; its first import can take a while on a busy machine.
    expect(await within(history).findByRole('img', { name: /Stacked bars of links per status for 2 days/ }, { timeout: 10_000 })).toBeInTheDocument();
    const rows = within(within(history).getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('rowheader')[0]?.textContent)).toEqual(['2026-11-26', '2026-11-25']);
    expect(within(rows[0] as HTMLElement).getAllByRole('cell').at(-1)).toHaveTextContent(en(stack.sim.links().length));
  });

  it('speaks Portuguese, and Spanish after a switch, its own strings included', async () => {
    const stack = await syncedStack();
    const { user } = await renderApp('/health', { stack, role: 'viewer', language: 'pt-BR' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Saúde dos links' })).toBeInTheDocument();
    expect(await screen.findByRole('region', { name: 'Links órfãos' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Idioma'), 'es-419');
    expect(await screen.findByRole('heading', { level: 1, name: 'Salud de los links' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Actualidad del índice' })).toBeInTheDocument();
  });
});

describe('index freshness', () => {
  it('shows when the index last synced and changed, and no Sync now for a viewer', async () => {
    const stack = await syncedStack();
    await renderApp('/health', { stack, role: 'viewer' });
    const freshness = await screen.findByRole('region', { name: 'Index freshness' });
    expect(within(freshness).getByText(/Last full sync:/)).toBeInTheDocument();
    const times = freshness.querySelectorAll('time');
    expect([...times].map((time) => time.getAttribute('datetime'))).toEqual(['2026-11-25T12:00:00.000Z', expect.stringMatching(/^2026-11-25T12:00/)]);
    expect(within(freshness).getByText(`${en(stack.sim.links().length)} links indexed`)).toBeInTheDocument();
    expect(within(freshness).queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument();
  });

  it('shows a progress bar with Belvo’s count while a sync runs', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let pages = 0;
    const stack = await createTestStack({
      sim: { linkCount: 2_500 },
      beforeBelvo: async (request) => {
        if (new URL(request.url).pathname === '/api/links/' && ++pages === 2) await held;
      },
    });
    stack.indexSync.requestSync();
    await waitFor(() => expect(pages).toBe(2));
    await renderApp('/health', { stack, role: 'viewer' });
    const freshness = await screen.findByRole('region', { name: 'Index freshness' });
    const bar = within(freshness).getByRole('progressbar', { name: 'Syncing every link from Belvo' });
    expect(bar).toHaveAttribute('max', '2500');
    expect(bar).toHaveAttribute('value', '1000');
    expect(within(freshness).getByText(/^1,000 of 2,500 links/)).toBeInTheDocument();
    release();
    await stack.indexSync.settled();
    await waitFor(() => expect(within(freshness).queryByRole('progressbar')).not.toBeInTheDocument(), { timeout: 5_000 });
  });

  it('shows the last sync’s error with Belvo’s request_id', async () => {
    const stack = await syncedStack({ sim: { linkCount: 300 } });
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '403', remaining: 1 });
    await stack.indexSync.syncNow();
    await renderApp('/health', { stack, role: 'viewer' });
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/The last sync stopped on an error/)).toBeInTheDocument();
    expect(within(alert).getByText(/^[a-f0-9]{32}$/)).toBeInTheDocument();
    expect(within(alert).getByRole('button', { name: 'Copy Request ID' })).toBeInTheDocument();
  });
});

describe('the links list before and after the index is ready', () => {
  it('keeps the Belvo-backed list while the index is empty, says why, and switches once an admin’s sync completes', async () => {
    const { user, router, forwarded } = await renderApp('/links?page_size=10&orphan=true&sort=institution');
    const notice = await screen.findByText(/The account-wide index has no completed sync yet/);
    expect(notice.closest('[role="note"]')).toHaveTextContent('Not applied yet: orphan=true, sort=institution');
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    expect(screen.queryByRole('columnheader', { name: /Institution/ })).not.toHaveAttribute('aria-sort');

    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    const post = forwarded.find((request) => request.method === 'POST' && new URL(request.url).pathname === '/bff/index/sync');
    expect(post?.headers.get('x-linkdesk-csrf')).toBe('1');
    await waitFor(() => expect(screen.getByRole('columnheader', { name: /Institution/ })).toHaveAttribute('aria-sort', 'ascending'), { timeout: 8_000 });
    expect(screen.getByRole('checkbox', { name: 'Orphans only' })).toBeChecked();
    expect(currentSearch(router)).toEqual({ page_size: '10', orphan: 'true', sort: 'institution' });
  });

  it('sorts by column header, searches by a short id, filters, and counts statuses from the one response', async () => {
    const stack = await syncedStack();
    const { user, router, forwarded } = await renderApp('/links?page_size=10', { stack, role: 'viewer' });
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    const links = stack.sim.links();
    const valid = links.filter((link) => link.status === 'valid').length;
    expect(screen.getByRole('radio', { name: `Valid (${en(valid)})` })).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: `All (${en(links.length)})` })).toBeInTheDocument();
    expect(forwarded.filter((request) => new URL(request.url).pathname === '/api/links/')).toHaveLength(0);

    const created = screen.getByRole('columnheader', { name: /Created/ });
    expect(created).toHaveAttribute('aria-sort', 'descending');
    await user.click(within(screen.getByRole('columnheader', { name: /Institution/ })).getByRole('button'));
    await waitFor(() => expect(currentSearch(router)).toEqual({ page_size: '10', sort: 'institution', order: 'asc' }));
    await waitFor(() => expect(screen.getByRole('columnheader', { name: /Institution/ })).toHaveAttribute('aria-sort', 'ascending'));
    const first = [...links.map((link) => link.institution)].sort()[0];
    await waitFor(() => expect(within(dataRows()[0] as HTMLElement).getByText(first ?? '')).toBeInTheDocument());

    const target = links[17];
    if (!target) throw new Error('too few links');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), `${target.id.slice(0, 8)}{Enter}`);
    await waitFor(() => expect(currentSearch(router)).toMatchObject({ q: target.id.slice(0, 8) }));
    await waitFor(() => expect(dataRows()).toHaveLength(1));
    expect(within(dataRows()[0] as HTMLElement).getByRole('link', { name: `Open link ${target.id}` })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear all filters' }));
    await waitFor(() => expect(currentSearch(router)).toEqual({ page_size: '10', sort: 'institution', order: 'asc' }));
    await user.selectOptions(screen.getByLabelText('Access mode'), 'single');
    await user.click(screen.getByRole('checkbox', { name: 'Duplicates only' }));
    await waitFor(() => expect(currentSearch(router)).toEqual({ page_size: '10', sort: 'institution', order: 'asc', access_mode: 'single', duplicate: 'true' }));
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    const duplicated = new Set(health.duplicate_groups.flatMap((group) => group.link_ids));
    const expected = links.filter((link) => link.access_mode === 'single' && duplicated.has(link.id)).length;
    expect(await screen.findByText(`${en(expected)} ${expected === 1 ? 'link' : 'links'}`)).toBeInTheDocument();
  });

  it('links the CSV to exactly the current filters and sort, and the file holds every matching link', async () => {
    const stack = await syncedStack();
    const { user } = await renderApp('/links?page_size=10&status=invalid&sort=last_accessed_at&order=asc', { stack, role: 'viewer' });
    await user.click(await screen.findByRole('checkbox', { name: 'Orphans only' }));
    const expected = stack.sim.links().filter((link) => link.status === 'invalid' && link.external_id === null).length;
    const download = await screen.findByRole('link', { name: `Download CSV (${en(expected)})` });
    const href = download.getAttribute('href') ?? '';
    expect(Object.fromEntries(new URL(href, 'http://linkdesk.test').searchParams)).toEqual({ status: 'invalid', orphan: 'true', sort: 'last_accessed_at', order: 'asc' });
    expect(href.startsWith('/bff/index/links.csv?')).toBe(true);
    const csv = await (await stack.as('viewer')(href)).text();
    expect(csv.trim().split('\n')).toHaveLength(expected + 1);
  });
});
