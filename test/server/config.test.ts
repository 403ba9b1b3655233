import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

function problems(env: Record<string, string>) {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('configuration', () => {
  it('runs on the simulator with no keys, on 127.0.0.1:8080', () => {
    const config = loadConfig({});
    expect(config.belvo.mode).toBe('simulator');
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
  });

  it('uses the sandbox by default when keys are set, production when asked', () => {
    expect(loadConfig({ BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'pw' }).belvo).toMatchObject({
      mode: 'sandbox',
      baseUrl: 'https://sandbox.belvo.com',
    });
    expect(loadConfig({ BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'pw', BELVO_ENV: 'production' }).belvo.baseUrl).toBe(
      'https://api.belvo.com',
    );
    expect(
      loadConfig({ BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'pw', BELVO_BASE_URL: 'http://127.0.0.1:8090/' }).belvo.baseUrl,
    ).toBe('http://127.0.0.1:8090');
  });

  it('says what to fix when only one key is set', () => {
    const message = problems({ BELVO_SECRET_ID: 'id' });
    expect(message).toContain('BELVO_SECRET_PASSWORD is not');
    expect(message).toContain('set both');
  });

  it('rejects bad values with the variable name and the expected form', () => {
    expect(problems({ PORT: 'eighty' })).toContain('PORT');
    expect(problems({ BELVO_SECRET_ID: 'a', BELVO_SECRET_PASSWORD: 'b', BELVO_ENV: 'staging' })).toContain('"sandbox" or "production"');
    expect(problems({ BELVO_SECRET_ID: 'a', BELVO_SECRET_PASSWORD: 'b', BELVO_BASE_URL: 'sandbox.belvo.com/api' })).toContain(
      'BELVO_BASE_URL must be an origin',
    );
    expect(problems({ BELVO_ENV: 'sandbox' })).toContain('no Belvo keys');
  });

  it('never repeats a secret in its messages', () => {
    const message = problems({ BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'super-secret-value', BELVO_ENV: 'nope' });
    expect(message).not.toContain('super-secret-value');
  });
});

describe('sign-in through an OpenID Connect provider', () => {
  const sso = {
    LINKDESK_OIDC_ISSUER: 'https://login.example.com/realms/staff',
    LINKDESK_OIDC_CLIENT_ID: 'linkdesk',
    LINKDESK_OIDC_CLIENT_SECRET: 'secret',
    LINKDESK_OIDC_ROLE_MAP: 'linkdesk-admins=admin, linkdesk-support=support',
  };

  it('is off unless an issuer is set, and local sign-in is on by default', () => {
    expect(loadConfig({})).toMatchObject({ oidc: null, localSignIn: true });
  });

  it('reads the client, the scopes, the role map and the claim', () => {
    const config = loadConfig({ ...sso, LINKDESK_OIDC_SCOPES: 'groups offline_access', LINKDESK_OIDC_DISPLAY_NAME: 'Acme SSO', LINKDESK_LOCAL_SIGN_IN: 'false' });
    expect(config.localSignIn).toBe(false);
    expect(config.oidc).toMatchObject({ issuer: sso.LINKDESK_OIDC_ISSUER, clientId: 'linkdesk', roleClaim: 'groups', displayName: 'Acme SSO', scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'] });
    expect([...(config.oidc?.roleMap ?? [])]).toEqual([
      ['linkdesk-admins', 'admin'],
      ['linkdesk-support', 'support'],
    ]);
  });

  it('accepts http:// only for a provider on this machine, and says what to change', () => {
    expect(loadConfig({ ...sso, LINKDESK_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ ...sso, LINKDESK_OIDC_ISSUER: 'http://localhost:9000/realms/x' }).oidc).not.toBeNull();
    expect(problems({ ...sso, LINKDESK_OIDC_ISSUER: 'http://login.example.com' })).toContain('LINKDESK_OIDC_ISSUER must use https://');
  });

  it('refuses an incomplete client, an unknown role and an empty map', () => {
    expect(problems({ LINKDESK_OIDC_ISSUER: sso.LINKDESK_OIDC_ISSUER })).toMatch(/LINKDESK_OIDC_CLIENT_ID is not[\s\S]*LINKDESK_OIDC_CLIENT_SECRET is not[\s\S]*LINKDESK_OIDC_ROLE_MAP is empty/);
    expect(problems({ ...sso, LINKDESK_OIDC_ROLE_MAP: 'linkdesk-admins=root' })).toContain('"linkdesk-admins=root" must be <group>=<role>');
    expect(problems({ LINKDESK_OIDC_CLIENT_ID: 'linkdesk' })).toContain('LINKDESK_OIDC_ISSUER is not');
  });

  it('does not let local sign-in be switched off with nothing in its place', () => {
    expect(problems({ LINKDESK_LOCAL_SIGN_IN: 'false' })).toContain('leaves nobody a way to sign in');
  });
});
