import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OidcConfig } from '../../src/server/config.ts';
import { createTestStack } from '../support/stack.ts';
import { renderApp } from './render-app.tsx';

// The provider is never called here: the sign-in page only learns that one is configured.
const oidc: OidcConfig = {
  issuer: 'http://127.0.0.1:9',
  clientId: 'linkdesk',
  clientSecret: 'secret',
  scopes: ['openid', 'profile', 'email'],
  roleMap: new Map([['linkdesk-admins', 'admin']]),
  roleClaim: 'groups',
  displayName: 'Acme SSO',
};

describe('signing in with the identity provider', () => {
  it('offers the provider next to the password form, keeping the page asked for', async () => {
    const stack = await createTestStack({ oidc });
    await renderApp('/links?status=invalid', { stack, role: null });
    const button = await screen.findByRole('link', { name: 'Sign in with Acme SSO' });
    expect(button).toHaveAttribute('href', `/bff/oidc/start?redirect=${encodeURIComponent('/links?status=invalid')}`);
    expect(screen.getByLabelText('Username')).toBeInTheDocument();
  });

  it('offers only the provider when local sign-in is switched off', async () => {
    const stack = await createTestStack({ oidc, localSignIn: false });
    await renderApp('/sign-in', { stack, role: null });
    expect(await screen.findByRole('link', { name: 'Sign in with Acme SSO' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Username')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in' })).not.toBeInTheDocument();
  });

  it('says why a sign-in was refused, in the person’s language', async () => {
    const stack = await createTestStack({ oidc });
    await renderApp('/sign-in?sso_error=no_role', { stack, role: null, language: 'pt-BR' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Não foi possível entrar com Acme SSO');
    expect(alert).toHaveTextContent('nenhum dos seus grupos dá um papel no Linkdesk');
  });

  it('shows no provider button when none is configured', async () => {
    await renderApp('/sign-in', { role: null });
    expect(await screen.findByLabelText('Username')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Sign in with/ })).not.toBeInTheDocument();
  });
});
