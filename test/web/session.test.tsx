import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { createTestStack, testPassword } from '../support/stack.ts';
import { currentSearch, renderApp } from './render-app.tsx';

describe('signing in', () => {
  it('gives an anonymous visitor only the sign-in page, then the page they asked for', async () => {
    const { user, router, forwarded } = await renderApp('/links?status=invalid', { role: null });
    expect(await screen.findByRole('heading', { name: 'Sign in to Linkdesk' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(currentSearch(router)).toEqual({ redirect: '/links?status=invalid' });
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
    expect(forwarded.some((request) => new URL(request.url).pathname.startsWith('/api/'))).toBe(false);

    await user.type(screen.getByLabelText('Username'), 'viewer');
    await user.type(screen.getByLabelText('Password'), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('The username or password is not right. Check both and try again.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), testPassword);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/links'));
    expect(currentSearch(router)).toEqual({ status: 'invalid' });
    expect(await screen.findByText(/Signed in as viewer/)).toBeInTheDocument();
  });

  it('never sends anyone to another site after signing in', async () => {
    const { user, router } = await renderApp('/sign-in?redirect=//evil.example/phish', { role: null });
    await user.type(await screen.findByLabelText('Username'), 'viewer');
    await user.type(screen.getByLabelText('Password'), testPassword);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/links'));
  });

  it('signs out on the server and back to the sign-in page, with no request failing on the way', async () => {
    const { user, router, stack, forwarded } = await renderApp('/links?page_size=10', { role: 'support' });
    await screen.findAllByRole('button', { name: /^Refresh link/ });
    const before = forwarded.length;
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(await screen.findByRole('heading', { name: 'Sign in to Linkdesk' })).toBeInTheDocument();
    // Only the sign-out itself (and at most a look at who is signed in, the deployment, or how one signs in here) goes out.
    const after = forwarded.slice(before).map((request) => `${request.method} ${new URL(request.url).pathname}`);
    expect(after.filter((request) => !['DELETE /bff/session', 'GET /bff/session', 'GET /bff/meta', 'GET /bff/sign-in-methods'].includes(request))).toEqual([]);
    expect(after.filter((request) => request === 'GET /bff/sign-in-methods').length).toBeLessThanOrEqual(1);
    expect((await stack.as('support')('/bff/operations')).status).toBe(401);
  });

  it('returns to sign-in when the session ends, and back afterwards', async () => {
    const stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    const { user, router } = await renderApp('/links?page_size=10', { stack, role: 'viewer' });
    await screen.findAllByRole('link', { name: /^Open link/ });
    stack.clock.advance(31 * 60_000);
    await user.click(screen.getByRole('link', { name: `Open link ${link.id}` }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(currentSearch(router).redirect).toBe(`/links/${link.id}`);
    expect(await screen.findByText(/Your session ended \(after 30 minutes without activity/)).toBeInTheDocument();
  });

  it('says an action was not done when the session ended during it, and returns to the same page without redoing it', async () => {
    const stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    const { user, router, forwarded } = await renderApp(`/links/${link.id}`, { stack, role: 'support' });
    await user.click(await screen.findByRole('button', { name: `Delete link ${link.id.slice(0, 8)}` }));
    const dialog = await screen.findByRole('alertdialog');
    stack.clock.advance(31 * 60_000);
    await user.click(within(dialog).getByRole('button', { name: 'Delete link' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(currentSearch(router)).toEqual({ redirect: `/links/${link.id}`, reason: 'ended_during_action' });
    expect(await screen.findByText(/Your session ended before your last action reached Belvo, so it was not done/)).toBeInTheDocument();

    await user.type(screen.getByLabelText('Username'), 'support');
    await user.type(screen.getByLabelText('Password'), testPassword);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/links/${link.id}`));
    await screen.findByRole('heading', { name: new RegExp(`Link ${link.id.slice(0, 8)}`) });
    const deletes = forwarded.filter((request) => request.method === 'DELETE' && request.url.includes('/api/links/'));
    expect(deletes).toHaveLength(1);
    expect(stack.sim.links().some((candidate) => candidate.id === link.id)).toBe(true);
  });
});

describe('what each role sees', () => {
  it('a viewer reads everything and is offered no change', async () => {
    const stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    await renderApp('/links?page_size=10', { stack, role: 'viewer' });
    await waitFor(() => expect(screen.getAllByRole('link', { name: /^Open link/ })).toHaveLength(10));
    expect(screen.queryByRole('button', { name: /^Delete link/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Refresh link/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'MFA playground' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Audit log' })).toBeInTheDocument();

    await renderApp(`/links/${link.id}`, { stack, role: 'viewer' });
    expect(await screen.findByText('Your role (Viewer) can read links but not change them.')).toBeInTheDocument();
  });

  it('names the role in the reader’s language in the read-only note', async () => {
    const stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    await renderApp(`/links/${link.id}`, { stack, role: 'viewer', language: 'pt-BR' });
    expect(await screen.findByText('Seu papel (Leitura) pode ler links, mas não alterá-los.')).toBeInTheDocument();
  });

  it('support may refresh and delete but not use the playground', async () => {
    const { router } = await renderApp('/links?page_size=10', { role: 'support' });
    expect(await screen.findAllByRole('button', { name: /^Delete link/ })).toHaveLength(10);
    expect(screen.getAllByRole('button', { name: /^Refresh link/ })).toHaveLength(10);
    expect(screen.queryByRole('link', { name: 'MFA playground' })).not.toBeInTheDocument();

    await act(() => router.navigate({ to: '/playground' }));
    expect(await screen.findByText('There is no page at this address.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'MFA playground' })).not.toBeInTheDocument();
  });

  it('qa the reverse: the playground, but neither refresh nor delete', async () => {
    const { user } = await renderApp('/links?page_size=10', { role: 'qa' });
    await waitFor(() => expect(screen.getAllByRole('link', { name: /^Open link/ })).toHaveLength(10));
    expect(screen.queryByRole('button', { name: /^Delete link/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Refresh link/ })).not.toBeInTheDocument();

    await user.click(await screen.findByRole('link', { name: 'MFA playground' }));
    expect(await screen.findByRole('heading', { name: 'MFA playground' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Register' })).toBeEnabled();
  });
});

describe('the audit log page', () => {
  it('filters through the URL, exports exactly those rows, and each link shows its history', async () => {
    const stack = await createTestStack();
    const [first, second] = stack.sim.links() as Link[];
    await stack.as('support')(`/api/links/${first?.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } });
    await stack.as('viewer')(`/api/links/${second?.id}/`, { method: 'DELETE' });
    const { user, router } = await renderApp('/audit', { stack, role: 'viewer' });
    const table = await screen.findByRole('table');
    // One row per action (the attempt and its outcome merged): the two deletions.
    await waitFor(() => expect(within(table).getAllByRole('row').length).toBeGreaterThan(2));

    await user.selectOptions(screen.getByLabelText('Outcome'), 'denied');
    await waitFor(() => expect(currentSearch(router)).toEqual({ outcome: 'denied' }));
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
    expect(within(screen.getByRole('table')).getByText('viewer')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/bff/audit.csv?outcome=denied');

    await renderApp(`/links/${second?.id}`, { stack, role: 'viewer' });
    const history = await screen.findByRole('region', { name: 'History' });
    await waitFor(() => expect(within(history).getAllByText('Delete link')).toHaveLength(1));
    expect(within(history).getByText('Denied')).toBeInTheDocument();
  });
});
