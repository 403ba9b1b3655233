import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { currentSearch, renderApp } from './render-app.tsx';

function dataRows() {
  const table = screen.getByRole('table');
  return within(table).getAllByRole('row').slice(1);
}

describe('the links list', () => {
  it('shows the simulator’s links with total and per-status counts', async () => {
    const { stack } = await renderApp('/links?page_size=10');
    expect(await screen.findByRole('heading', { name: 'Links' })).toBeInTheDocument();
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    const total = stack.sim.links().length;
    expect(screen.getByText(`${total.toLocaleString('en')} links`)).toBeInTheDocument();
    const valid = stack.sim.links().filter((link) => link.status === 'valid').length;
    expect(await screen.findByRole('radio', { name: `Valid (${valid.toLocaleString('en')})` })).toBeInTheDocument();
    const first = stack.sim.links()[0];
    expect(within(dataRows()[0] as HTMLElement).getByRole('link', { name: `Open link ${first?.id}` })).toHaveTextContent(
      first?.id.slice(0, 8) ?? '',
    );
    expect(screen.getByText('Simulator — not Belvo')).toBeInTheDocument();
  });

  it('opens a link from a click anywhere on its row, but not from its controls or a text selection', async () => {
    const { user, router, stack } = await renderApp('/links?page_size=10', { role: 'support' });
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    const [first, second] = stack.sim.links();
    const firstRow = () => dataRows()[0] as HTMLElement;

    // Its own buttons keep their meaning.
    await user.click(within(firstRow()).getByRole('button', { name: /^Copy/ }));
    await user.click(within(firstRow()).getByRole('button', { name: `Refresh link ${first?.id.slice(0, 8)}` }));
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    // Focus goes back to the button that opened the dialog.
    await waitFor(() => expect(within(firstRow()).getByRole('button', { name: `Refresh link ${first?.id.slice(0, 8)}` })).toHaveFocus());
    expect(router.state.location.pathname).toBe('/links');

    // Ending a text selection on the row is not a click on it.
    const institutionCell = within(dataRows()[1] as HTMLElement).getByText(second?.institution ?? '');
    const selection = window.getSelection();
    selection?.selectAllChildren(institutionCell);
    // A drag that selects text ends with a click on the row, the selection still there.
    fireEvent.click(institutionCell);
    expect(router.state.location.pathname).toBe('/links');
    selection?.removeAllRanges();

    await user.click(institutionCell);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/links/${second?.id}`));
  });

  it('filters by status through the URL and shows only that status', async () => {
    const { user, router } = await renderApp('/links?page_size=10');
    await user.click(await screen.findByRole('radio', { name: /^Invalid/ }));
    await waitFor(() => expect(currentSearch(router)).toEqual({ status: 'invalid', page_size: '10' }));
    await waitFor(() => {
      const rows = dataRows();
      expect(rows).toHaveLength(10);
      for (const row of rows) expect(within(row).getByText('Invalid')).toBeInTheDocument();
    });
    expect(screen.getByRole('radio', { name: /^Invalid/ })).toBeChecked();
  });

  it('opens a shared URL in the same view and falls back to defaults for bad values', async () => {
    const { router } = await renderApp('/links?status=bogus&page_size=7&page=-3&external_id=a');
    await waitFor(() => expect(dataRows().length).toBeGreaterThan(10));
    expect(screen.getByRole('radio', { name: /^All/ })).toBeChecked();
    expect(screen.getByLabelText('Rows per page')).toHaveValue('100');
    expect(screen.getByText('Page 1 of 13')).toBeInTheDocument();
    expect(currentSearch(router)).toEqual({});
  });

  it('validates external_id as you type and applies it on Enter', async () => {
    const { user, router, stack } = await renderApp('/links?page_size=10');
    const input = await screen.findByLabelText('External ID');
    // Belvo's own list matches external_id exactly; the hint says so (the index's search box takes a prefix).
    expect(input).toHaveAccessibleDescription(/^Exact match: the whole external_id/);
    await user.type(input, 'a!');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/Not a valid external_id/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();

    const externalId = stack.sim.links().find((link) => link.external_id)?.external_id ?? '';
    await user.clear(input);
    await user.type(input, `${externalId}{Enter}`);
    await waitFor(() => expect(currentSearch(router)).toMatchObject({ external_id: externalId }));
    const expected = stack.sim.links().filter((link) => link.external_id === externalId).length;
    await waitFor(() => expect(dataRows()).toHaveLength(expected));
    for (const row of dataRows()) expect(within(row).getByText(externalId)).toBeInTheDocument();
  });

  it('says why the list is empty and clears the filters', async () => {
    const { user, router } = await renderApp('/links?external_id=nobody-here&status=valid');
    const heading = await screen.findByRole('heading', { name: 'No links match these filters' });
    const emptyState = heading.parentElement as HTMLElement;
    expect(within(emptyState).getByText(/status=valid, external_id=nobody-here/)).toBeInTheDocument();
    await user.click(within(emptyState).getByRole('button', { name: 'Clear all filters' }));
    await waitFor(() => expect(currentSearch(router)).toEqual({}));
    await waitFor(() => expect(dataRows().length).toBeGreaterThan(0));
  });

  it('marks orphan links (no external_id) clearly', async () => {
    const { stack } = await renderApp('/links?page_size=100');
    const orphans = stack.sim.links().slice(0, 100).filter((link) => link.external_id === null);
    expect(orphans.length).toBeGreaterThan(0);
    await waitFor(() => expect(dataRows().length).toBeGreaterThan(0));
    const row = screen.getByRole('link', { name: `Open link ${orphans[0]?.id}` }).closest('tr') as HTMLElement;
    expect(within(row).getByText('Missing (orphan)')).toBeInTheDocument();
  });

  it('pages and changes page size through the URL', async () => {
    const { user, router } = await renderApp('/links?page_size=10');
    await user.click(await screen.findByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(currentSearch(router)).toEqual({ page: '2', page_size: '10' }));
    expect(await screen.findByText('Page 2 of 125')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Rows per page'), '50');
    await waitFor(() => expect(currentSearch(router)).toEqual({ page_size: '50' }));
    expect(await screen.findByText('Page 1 of 25')).toBeInTheDocument();
  });

  it('offers the first page when the URL points past the end', async () => {
    const { user, router } = await renderApp('/links?page=999');
    expect(await screen.findByText('This page is past the end of the results.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Go to the first page' }));
    await waitFor(() => expect(currentSearch(router)).toEqual({}));
  });

  it('shows Belvo’s message and request_id when the list fails, and recovers on retry', async () => {
    const { stack: base } = await renderApp('/links?page_size=10');
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    base.sim.faults.add({ route: 'GET /api/links/', kind: '500', remaining: 3 });
    const { user } = await renderApp('/links?page_size=10&status=valid', { stack: base });
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText("Couldn’t load links")).toBeInTheDocument();
    expect(within(alert).getByText(/Belvo is unable to process the request/)).toBeInTheDocument();
    const failures = base.sim.requests.filter((request) => request.query.includes('status=valid') && request.query.includes('page_size=10'));
    expect(failures.length).toBe(3);
    expect(within(alert).getByText(/^[a-f0-9]{32}$/)).toBeInTheDocument();
    expect(within(alert).getByRole('button', { name: 'Copy Request ID' })).toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });

  it('explains a status on focus: what it means and what to do', async () => {
    await renderApp('/links?status=token_required&page_size=10');
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    const badge = within(dataRows()[0] as HTMLElement).getByText('Token required');
    badge.focus();
    expect(badge).toHaveAccessibleDescription(/A previously valid link now needs a new token\. What to do: Refresh it here: Linkdesk asks for the token \(MFA\)/);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('A previously valid link now needs a new token.');
  });

  it('points an unconfirmed link to what works in Linkdesk: Delete, then a new connection', async () => {
    await renderApp('/links?status=unconfirmed&page_size=10');
    await waitFor(() => expect(dataRows()).toHaveLength(10));
    const badge = within(dataRows()[0] as HTMLElement).getByText('Unconfirmed');
    expect(badge).toHaveAccessibleDescription(/What to do: It holds no data and can no longer be resumed: Delete it here/);
  });

  it('switches language, formatting numbers for the locale', async () => {
    const { user, stack } = await renderApp('/links?page_size=10');
    await user.selectOptions(await screen.findByLabelText('Language'), 'pt-BR');
    const total = stack.sim.links().length.toLocaleString('pt-BR');
    expect(await screen.findByText(`${total} links`)).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /^Inválido/ })).toBeInTheDocument();
    expect(screen.getByText('Simulador — não é a Belvo')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('pt-BR');
    expect(localStorage.getItem('linkdesk.language')).toBe('pt-BR');
  });
});
