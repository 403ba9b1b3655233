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

describe('changing a link’s access mode', () => {
  it('asks for confirmation naming the link and the new mode, then changes it at Belvo', async () => {
    const stack = await createTestStack();
    const link = linkWith(stack, (candidate) => candidate.access_mode === 'single' && candidate.status === 'valid');
    const id = link.id.slice(0, 8);
    const { user } = await renderApp(`/links/${link.id}`, { stack, role: 'support' });
    await user.click(await screen.findByRole('button', { name: `Change the access mode of link ${id}` }));
    const dialog = await screen.findByRole('dialog', { name: `Make link ${id} recurrent?` });
    await user.click(within(dialog).getByRole('button', { name: 'Make it recurrent' }));
    await waitFor(() => expect(stack.sim.findLink(link.id)?.access_mode).toBe('recurrent'));
    expect(await screen.findByText(`Link ${id} is now recurrent.`)).toBeInTheDocument();
  });

  it('is not offered to a viewer', async () => {
    const stack = await createTestStack();
    const link = linkWith(stack, (candidate) => candidate.status === 'invalid');
    await renderApp(`/links/${link.id}`, { stack, role: 'viewer' });
    await screen.findByRole('heading', { level: 1 });
    expect(screen.queryByRole('button', { name: /Change the access mode/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /reconnect link/ })).toBeNull();
  });
});

describe('reconnecting a broken link', () => {
  it('shows the widget URL with copy, QR and countdown; the end user repairs the link and the page turns valid', async () => {
    const stack = await createTestStack();
    const link = linkWith(stack, (candidate) => candidate.status === 'invalid' && !candidate.institution.includes('_br_'));
    const id = link.id.slice(0, 8);
    const { user } = await renderApp(`/links/${link.id}`, { stack, role: 'support' });
    await user.click(await screen.findByRole('button', { name: `Make a reconnect link for link ${id}` }));
    const dialog = await screen.findByRole('dialog', { name: `Reconnect link ${id}` });
    const field = await within(dialog).findByRole('textbox', { name: /Reconnect link/ });
    const url = new URL((field as HTMLInputElement).value);
    expect(url.pathname).toBe('/belvo-sim/widget/');
    expect(url.searchParams.get('locale')).toBe('es');
    expect(within(dialog).getByRole('button', { name: /reconnect link/i })).toBeInTheDocument();
    expect(await within(dialog).findByRole('img', { name: 'QR code of the reconnect link' })).toBeInTheDocument();
    expect(within(dialog).getByRole('timer').textContent).toMatch(/^(10:00|09:5\d)$/);

    // The end user opens the URL and sends a new password; the webhook tells the dashboard.
    const access = url.searchParams.get('access_token') ?? '';
    const done = await stack.anonymous(url.pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: access, password: 'new-password' }).toString(),
    });
    expect(done.status).toBe(200);
    await stack.sim.webhooks.settle();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: `Make a reconnect link for link ${id}` })).toBeNull(), { timeout: 5000 });
  });
});
