import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { renderApp } from './render-app.tsx';

function linkWith(stack: TestStack, predicate: (link: Link) => boolean): Link {
  const found = stack.sim.links().find(predicate);
  if (!found) throw new Error('no such link');
  return found;
}

function rowOf(id: string) {
  return screen.getByRole('link', { name: `Open link ${id}` }).closest('tr') as HTMLElement;
}

const upstream = (stack: TestStack, route: string) => stack.sim.requests.filter((request) => request.route === route);

describe('refreshing a link', () => {
  it('offers the institution’s resources, all chosen, then shows the request_id and a live countdown', async () => {
    const stack = await createTestStack();
    const link = linkWith(stack, (candidate) => candidate.status === 'valid' && candidate.institution === 'erebor_mx_retail');
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Refresh link ${link.id.slice(0, 8)}` }));

    const dialog = await screen.findByRole('dialog', { name: `Refresh link ${link.id.slice(0, 8)}` });
    const boxes = within(dialog).getAllByRole('checkbox');
    expect(boxes.map((box) => box.parentElement?.textContent)).toEqual(['ACCOUNTS', 'OWNERS', 'TRANSACTIONS', 'BILLS', 'INCOMES', 'RECURRING_EXPENSES', 'RISK_INSIGHTS']);
    for (const box of boxes) expect(box).toBeChecked();

    await user.click(within(dialog).getByRole('button', { name: 'Request refresh' }));
    expect(await within(dialog).findByText('Refresh requested')).toBeInTheDocument();
    const [call] = upstream(stack, 'POST /api/links/{id}/refresh/');
    expect(JSON.parse(call?.body ?? '')).toEqual({});
    const requestId = within(dialog).getByText(/^[a-f0-9]{32}$/).textContent;
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));

    const timer = await screen.findAllByRole('timer');
    expect(timer[0]?.textContent).toMatch(/^(10:00|09:5\d)$/);
    const countdown = screen.getByRole('button', { name: /Refresh link .* possible in/ });
    expect(countdown).toBeDisabled();
    // The Refresh button that opened the dialog became this countdown: focus goes to it, not <body>.
    await waitFor(() => expect(countdown.parentElement).toHaveFocus());
    const activity = screen.getByRole('region', { name: 'Activity' });
    expect(await within(activity).findByText(requestId ?? 'missing')).toBeInTheDocument();
  });

  it('shows what the institution supports after Belvo’s 400 and retries with those', async () => {
    const stack = await createTestStack();
    const link = linkWith(stack, (candidate) => candidate.status === 'valid' && candidate.institution === 'erebor_mx_retail');
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Refresh link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('checkbox', { name: 'ACCOUNTS' }));
    await user.click(within(dialog).getByRole('button', { name: 'Request refresh' }));

    const alert = await within(dialog).findByRole('alert');
    expect(within(alert).getByText('This institution supports only: ACCOUNTS, OWNERS, TRANSACTIONS, INCOMES, RECURRING_EXPENSES, RISK_INSIGHTS.')).toBeInTheDocument();
    expect(within(alert).getByText(/^[a-f0-9]{32}$/)).toBeInTheDocument();
    await user.click(within(alert).getByRole('button', { name: 'Retry with the supported resources' }));
    expect(await within(dialog).findByText('Refresh requested')).toBeInTheDocument();
    const calls = upstream(stack, 'POST /api/links/{id}/refresh/');
    expect(JSON.parse(calls[1]?.body ?? '')).toEqual({ fetch_resources: ['OWNERS', 'TRANSACTIONS', 'INCOMES', 'RECURRING_EXPENSES', 'RISK_INSIGHTS'] });
  });

  it('shows Belvo’s 409 when the link was refreshed elsewhere, and starts the countdown from it', async () => {
    const stack = await createTestStack();
    const link = linkWith(stack, (candidate) => candidate.status === 'valid' && candidate.institution.endsWith('_retail'));
    await stack.belvo(`/api/links/${link.id}/refresh/`, { method: 'POST' });
    stack.clock.advance(4 * 60_000);
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Refresh link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Request refresh' }));
    expect(await within(dialog).findByText('The link has already been refreshed. Please wait 6 minutes before trying again.')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByRole('button', { name: /Refresh link .* possible in/ })).toBeDisabled();
  });
});

describe('deleting a link', () => {
  it('asynchronously by default: names the link, shows "Deleting…" with the request_id, and the row leaves when Belvo confirms', async () => {
    const stack = await createTestStack();
    const { user } = await renderApp('/links?page_size=10', { stack });
    const link = stack.sim.links()[2] as Link;
    await waitFor(() => expect(rowOf(link.id)).toBeInTheDocument());
    await user.click(within(rowOf(link.id)).getByRole('button', { name: `Delete link ${link.id.slice(0, 8)}` }));

    const dialog = await screen.findByRole('alertdialog', { name: `Delete link ${link.id.slice(0, 8)}?` });
    expect(within(dialog).getByText(link.id)).toBeInTheDocument();
    expect(within(dialog).getByText(link.institution)).toBeInTheDocument();
    expect(within(dialog).getByText('This cannot be undone.')).toBeInTheDocument();
    expect(within(dialog).getByRole('radio', { name: /Asynchronous \(recommended\)/ })).toBeChecked();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Delete link' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    const [call] = upstream(stack, 'DELETE /api/links/{id}/');
    expect(call?.headers['x-belvo-request-mode']).toBe('async');
    expect(await within(rowOf(link.id)).findByText('Deleting…')).toBeInTheDocument();
    expect(screen.getByText(/Deletion of link .* requested \(request [a-f0-9]{32}\)/)).toBeInTheDocument();

    stack.clock.advance(3_000);
    await stack.sim.webhooks.settle();
    await waitFor(() => expect(screen.queryByRole('link', { name: `Open link ${link.id}` })).not.toBeInTheDocument(), { timeout: 5_000 });
  });

  it('synchronously: shows the shared budget, and at zero a countdown with the button disabled', async () => {
    const stack = await createTestStack();
    for (const other of stack.sim.links().slice(20, 25)) await stack.request(`/api/links/${other.id}/`, { method: 'DELETE' });
    stack.clock.advance(10_000);
    const link = stack.sim.links()[0] as Link;
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Delete link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('radio', { name: /Immediately/ }));
    expect(within(dialog).getByText(/No deletions left this minute/)).toBeInTheDocument();
    expect(within(dialog).getByRole('timer').textContent).toMatch(/^00:(49|50)$/);
    expect(within(dialog).getByRole('button', { name: 'Delete link' })).toBeDisabled();
  });

  it('synchronously with budget left: says how much, deletes once even on a double click', async () => {
    const stack = await createTestStack();
    await stack.request(`/api/links/${stack.sim.links()[30]?.id}/`, { method: 'DELETE' });
    const link = stack.sim.links()[0] as Link;
    const { user, router } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Delete link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('radio', { name: /Immediately/ }));
    expect(within(dialog).getByText('4 of 5 deletions left this minute')).toBeInTheDocument();
    await user.dblClick(within(dialog).getByRole('button', { name: 'Delete link' }));
    expect(await screen.findByText(`Link ${link.id.slice(0, 8)} deleted.`)).toBeInTheDocument();
    expect(upstream(stack, 'DELETE /api/links/{id}/').filter((request) => request.path.includes(link.id))).toHaveLength(1);
    expect(router.state.location.pathname).toBe(`/links/${link.id}`);
  });

  it('against Belvo production, asks to type the external_id (or the id’s first 8 characters)', async () => {
    const stack = await createTestStack({ mode: 'production' });
    const link = linkWith(stack, (candidate) => candidate.external_id !== null);
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Delete link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('alertdialog');
    const input = within(dialog).getByLabelText(`Type ${link.external_id} to confirm`);
    const submit = within(dialog).getByRole('button', { name: 'Delete link' });
    expect(submit).toBeDisabled();
    await user.type(input, 'wrong');
    expect(within(dialog).getByText('That does not match the link.')).toBeInTheDocument();
    expect(submit).toBeDisabled();
    await user.clear(input);
    await user.type(input, link.id.slice(0, 8));
    expect(submit).toBeEnabled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(0);
  });

  it('shows Belvo’s error and request_id when the deletion fails, and leaves the link', async () => {
    const stack = await createTestStack();
    stack.sim.faults.add({ route: 'DELETE /api/links/{id}/', kind: '403', remaining: 1 });
    const link = stack.sim.links()[0] as Link;
    const { user } = await renderApp(`/links/${link.id}`, { stack });
    await user.click(await screen.findByRole('button', { name: `Delete link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete link' }));
    const alert = await within(dialog).findByRole('alert');
    expect(within(alert).getByText('The link was not deleted')).toBeInTheDocument();
    expect(within(alert).getByText("You don't have access to this resource.")).toBeInTheDocument();
    expect(within(alert).getByText(/^[a-f0-9]{32}$/)).toBeInTheDocument();
    expect(stack.sim.findLink(link.id)).toBeDefined();
  });
});
