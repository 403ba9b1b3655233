import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createTestStack } from '../support/stack.ts';
import { renderApp } from './render-app.tsx';

describe('the link detail page', () => {
  it('opens from the list and shows every field, the raw JSON and copy buttons', async () => {
    const { user, stack, router } = await renderApp('/links?page_size=10');
    const link = stack.sim.links()[1];
    if (!link) throw new Error('no link');
    await user.click(await screen.findByRole('link', { name: `Open link ${link.id}` }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/links/${link.id}`));
    expect(await screen.findByRole('heading', { name: new RegExp(`Link ${link.id.slice(0, 8)}`) })).toBeInTheDocument();
    const fields = screen.getByRole('region', { name: 'Fields' });
    expect(within(fields).getByText(link.id)).toBeInTheDocument();
    expect(within(fields).getByText(link.institution)).toBeInTheDocument();
    expect(within(fields).getByText('institution_user_id')).toBeInTheDocument();
    const raw = screen.getByRole('region', { name: 'Raw JSON' });
    expect(JSON.parse(raw.querySelector('pre')?.textContent ?? '')).toEqual(link);

    await user.click(within(fields).getByRole('button', { name: 'Copy ID' }));
    expect(await navigator.clipboard.readText()).toBe(link.id);
    expect(within(fields).getAllByText('Copied').length).toBeGreaterThan(0);
  });

  it('points at possible duplicates sharing the institution user id', async () => {
    const { stack } = await renderApp('/links');
    const byUser = new Map<string, string[]>();
    for (const link of stack.sim.links()) byUser.set(link.institution_user_id ?? '', [...(byUser.get(link.institution_user_id ?? '') ?? []), link.id]);
    const [, ids] = [...byUser].find(([, group]) => group.length === 2) ?? ['', []];
    const { user } = await renderApp(`/links/${ids[0]}`, { stack });
    const note = await screen.findByText(/Shares its institution user ID with 1 other link/);
    const other = within(note.closest('[role="note"]') as HTMLElement).getByRole('link', { name: ids[1]?.slice(0, 8) });
    await user.click(other);
    expect(await screen.findByRole('heading', { name: new RegExp(`Link ${ids[1]?.slice(0, 8)}`) })).toBeInTheDocument();
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['a malformed one', 'not-a-uuid'],
  ])('says a link does not exist, for %s', async (_case, linkId) => {
    const { user, router } = await renderApp(`/links/${linkId}`);
    expect(await screen.findByRole('heading', { name: 'Link not found' })).toBeInTheDocument();
    expect(screen.getByText('Belvo has no link with this id in this account. It may have been deleted.')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Fields' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: /Back to links/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/links'));
  });

  it('reads a time the server just wrote as "now", on the server’s clock rather than the browser’s', async () => {
    // The test server's clock is a fixed day in 2026, far from this machine's: only the known
    // offset between the two makes "just now" read as now.
    const stack = await createTestStack();
    const link = stack.sim.links()[2];
    stack.sim.links().find((candidate) => candidate.id === link?.id)!.last_accessed_at = new Date(stack.clock.now() - 2_000).toISOString();
    await renderApp(`/links/${link?.id}`, { stack, role: 'viewer' });
    await screen.findByRole('heading', { name: new RegExp(`Link ${link?.id.slice(0, 8)}`) });
    // Without the offset it read as a day away (or "in 5 seconds" with a clock just behind).
    await waitFor(() => expect(screen.getByText(/^(now|\d seconds ago)$/)).toBeInTheDocument());
  });

  it('says a malformed id is not a link without asking Belvo', async () => {
    const { forwarded } = await renderApp('/links/not-a-uuid');
    expect(await screen.findByRole('heading', { name: 'Link not found' })).toBeInTheDocument();
    expect(forwarded.some((request) => request.url.includes('/api/links/not-a-uuid'))).toBe(false);
  });

  it('goes back to the list with the filters it came from', async () => {
    const { user, router, stack } = await renderApp('/links?status=invalid&page_size=10');
    const invalid = stack.sim.links().find((link) => link.status === 'invalid');
    await user.click(await screen.findByRole('link', { name: `Open link ${invalid?.id}` }));
    await user.click(await screen.findByRole('link', { name: /Back to links/ }));
    await waitFor(() => expect(router.state.location.searchStr).toBe('?status=invalid&page_size=10'));
  });
});
