import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createTestStack } from '../support/stack.ts';
import { currentSearch, renderApp } from './render-app.tsx';

describe('the audit log page', () => {
  it('shows one row per action (attempt and outcome merged) with translated names, and filters by the short link id', async () => {
    const stack = await createTestStack();
    const [first, second] = stack.sim.links();
    await stack.as('support')(`/api/links/${first?.id}/`, { method: 'DELETE', headers: { 'x-linkdesk-csrf': '1' } });
    await stack.as('support')(`/api/links/${second?.id}/`, { method: 'DELETE', headers: { 'x-linkdesk-csrf': '1' } });
    const { user, router } = await renderApp('/audit', { stack, role: 'admin', language: 'pt-BR' });

    const table = await screen.findByRole('table');
    await waitFor(() => expect(within(table).getAllByRole('cell', { name: 'Excluir link' })).toHaveLength(2));
    const deletion = within(table).getAllByRole('cell', { name: 'Excluir link' })[0]?.closest('tr') as HTMLElement;
    // One row: the outcome of the deletion, not "attempted" and then the outcome.
    expect(within(deletion).queryByText(/attempted|Tentado/)).not.toBeInTheDocument();
    // Outcomes are named in the reader's language, in the table and in the filter.
    expect(within(deletion).getByText(/^(Aceito pela Belvo|Concluído)$/)).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Excluir link' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'Resultado desconhecido' })).toBeInTheDocument();

    const linkFilter = screen.getByRole('textbox', { name: /^ID do link/ });
    await user.type(linkFilter, `${second?.id.slice(0, 8)}{Enter}`);
    await waitFor(() => expect(currentSearch(router)).toEqual({ link_id: second?.id.slice(0, 8) }));
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('cell', { name: 'Excluir link' })).toHaveLength(1));
    expect(within(screen.getByRole('table')).getByRole('link', { name: second?.id.slice(0, 8) })).toBeInTheDocument();
  });
});
