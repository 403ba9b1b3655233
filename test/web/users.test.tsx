import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createTestStack } from '../support/stack.ts';
import { renderApp } from './render-app.tsx';

describe('user management', () => {
  it('lets an admin add a user (with a strong password), change a role and remove someone', async () => {
    const { user, stack } = await renderApp('/users', { role: 'admin' });
    const table = await screen.findByRole('table');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(5));

    await user.type(screen.getByLabelText('Username'), 'nina');
    await user.type(screen.getByLabelText('Password'), 'too short');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('Use at least 12 characters.')).toBeInTheDocument();
    // The refusal shows beside the form that sent it, not at the top of the page.
    expect(within(screen.getByRole('form', { name: 'Add a user' })).getByRole('alert')).toHaveTextContent('Use at least 12 characters.');
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'a long enough passphrase');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('nina was added.')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(6));

    await user.selectOptions(screen.getByLabelText('Role of nina'), 'support');
    expect(await screen.findByText('nina is now Support. Their sessions have ended.')).toBeInTheDocument();
    expect((await stack.stores.users.byUsername('nina'))?.role).toBe('support');

    const ninaRow = () => screen.getByRole('cell', { name: 'nina' }).closest('tr') as HTMLElement;
    await user.click(within(ninaRow()).getByRole('button', { name: 'Reset password' }));
    await user.type(screen.getByLabelText('New password for nina'), 'short');
    await user.click(within(ninaRow()).getByRole('button', { name: 'Save' }));
    // The refusal appears right under nina's row, tied to the field.
    const rowError = await screen.findByText('Use at least 12 characters.');
    expect((rowError.closest('tr') as HTMLElement).previousElementSibling).toBe(ninaRow());
    expect(screen.getByLabelText('New password for nina')).toHaveAccessibleDescription(/Use at least 12 characters/);
    await user.clear(screen.getByLabelText('New password for nina'));
    await user.type(screen.getByLabelText('New password for nina'), 'another long passphrase');
    await user.click(within(ninaRow()).getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The password of nina was changed. Their sessions have ended.')).toBeInTheDocument();

    // Remove asks first, naming the person; Cancel keeps them and returns focus to Remove.
    await user.click(screen.getByRole('button', { name: 'Remove nina' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove nina?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove nina' })).toHaveFocus());
    expect(await stack.stores.users.byUsername('nina')).not.toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove nina' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Remove nina' }));
    expect(await screen.findByText('nina was removed.')).toBeInTheDocument();
    await waitFor(async () => expect(await stack.stores.users.byUsername('nina')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Remove admin' })).not.toBeInTheDocument();
  });

  it('marks people who sign in through the identity provider, and offers them no password', async () => {
    const stack = await createTestStack();
    await stack.stores.oidc.upsertUser('oidc:https://login.example.com#ana', 'ana@example.com', 'support');
    await renderApp('/users', { stack, role: 'admin' });
    const row = (await screen.findByLabelText('Role of ana@example.com')).closest('tr') as HTMLElement;
    expect(within(row).getByText('SSO')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: 'Reset password' })).not.toBeInTheDocument();
    const local = screen.getByLabelText('Role of viewer').closest('tr') as HTMLElement;
    expect(within(local).getByRole('button', { name: 'Reset password' })).toBeInTheDocument();
  });

  it('is not there for anyone else', async () => {
    await renderApp('/users', { role: 'support' });
    expect(await screen.findByText('There is no page at this address.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
  });
});
