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

  it('names the bulk job actions in each language', async () => {
    const stack = await createTestStack();
    const linkIds = stack.sim
      .links()
      .slice(0, 2)
      .map((link) => link.id);
    const post = (path: string, body?: unknown) =>
      stack.as('support')(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const job = (await (await post('/bff/jobs', { action: 'delete', link_ids: linkIds })).json()) as { id: string };
    for (const verb of ['pause', 'resume', 'cancel']) expect((await post(`/bff/jobs/${job.id}/${verb}`)).status).toBe(200);

    const { user } = await renderApp('/audit', { stack, role: 'admin' });
    const names = ['Start bulk job', 'Pause bulk job', 'Resume bulk job', 'Cancel bulk job'];
    for (const name of names) expect(await within(await screen.findByRole('table')).findByRole('cell', { name })).toBeInTheDocument();
    for (const name of names) expect(screen.getByRole('option', { name })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Language'), 'es-419');
    for (const name of ['Iniciar trabajo masivo', 'Pausar trabajo masivo', 'Reanudar trabajo masivo', 'Cancelar trabajo masivo']) {
      expect(await within(screen.getByRole('table')).findByRole('cell', { name })).toBeInTheDocument();
    }
    await user.selectOptions(screen.getByLabelText('Idioma'), 'pt-BR');
    for (const name of ['Iniciar job em lote', 'Pausar job em lote', 'Retomar job em lote', 'Cancelar job em lote']) {
      expect(await within(screen.getByRole('table')).findByRole('cell', { name })).toBeInTheDocument();
    }
  });
});
