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

  it('reads the index schedule, the stale thresholds, the shared Belvo rate limit and the simulator size', () => {
    const defaults = loadConfig({});
    expect(defaults.index).toEqual({ syncIntervalMs: 900_000, incrementalIntervalMs: 60_000, staleRefreshFactor: 2, staleBrokenDays: 7 });
    expect(defaults.rateLimit).toEqual({ limit: 80, windowMs: 30_000, reserveForInteractive: 20 });
    expect(defaults.simulator).toEqual({ links: 1_250, pageLatencyMs: 0, recurrentFailuresPerDay: 24 });
    const custom = loadConfig({
      LINKDESK_INDEX_SYNC_MINUTES: '5',
      LINKDESK_INDEX_INCREMENTAL_SECONDS: '30',
      LINKDESK_STALE_REFRESH_FACTOR: '1.5',
      LINKDESK_STALE_BROKEN_DAYS: '3',
      LINKDESK_BELVO_RATE_LIMIT: '40',
      LINKDESK_BELVO_RATE_WINDOW_SECONDS: '60',
      LINKDESK_BELVO_INTERACTIVE_RESERVE: '10',
      BELVO_SIM_LINKS: '200000',
      BELVO_SIM_PAGE_LATENCY_MS: '300',
    });
    expect(custom.index).toEqual({ syncIntervalMs: 300_000, incrementalIntervalMs: 30_000, staleRefreshFactor: 1.5, staleBrokenDays: 3 });
    expect(custom.rateLimit).toEqual({ limit: 40, windowMs: 60_000, reserveForInteractive: 10 });
    expect(custom.simulator).toMatchObject({ links: 200_000, pageLatencyMs: 300 });
    expect(problems({ LINKDESK_INDEX_SYNC_MINUTES: '0' })).toContain('LINKDESK_INDEX_SYNC_MINUTES must be at least 1');
    expect(problems({ LINKDESK_BELVO_RATE_LIMIT: '20', LINKDESK_BELVO_INTERACTIVE_RESERVE: '20' })).toContain('must be less than LINKDESK_BELVO_RATE_LIMIT');
    expect(problems({ BELVO_SIM_LINKS: 'many' })).toContain('BELVO_SIM_LINKS');
  });

  it('never repeats a secret in its messages', () => {
    const message = problems({ BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'super-secret-value', BELVO_ENV: 'nope' });
    expect(message).not.toContain('super-secret-value');
  });

  it('reads how many proxies to trust, the old switch meaning one, and refuses both at once', () => {
    expect(loadConfig({}).trustedProxyHops).toBe(0);
    expect(loadConfig({ LINKDESK_TRUSTED_PROXY_HOPS: '2' }).trustedProxyHops).toBe(2);
    expect(loadConfig({ LINKDESK_TRUST_PROXY: 'true' }).trustedProxyHops).toBe(1);
    expect(problems({ LINKDESK_TRUSTED_PROXY_HOPS: 'lots' })).toContain('LINKDESK_TRUSTED_PROXY_HOPS');
    expect(problems({ LINKDESK_TRUST_PROXY: 'true', LINKDESK_TRUSTED_PROXY_HOPS: '1' })).toContain('keep only LINKDESK_TRUSTED_PROXY_HOPS');
  });

  it('keeps the audit key outside the database: from the environment, or a file in the data folder', () => {
    expect(loadConfig({ LINKDESK_DATA_DIR: '/var/lib/linkdesk' })).toMatchObject({ auditKey: null, auditKeyFile: '/var/lib/linkdesk/audit.key' });
    expect(loadConfig({ LINKDESK_AUDIT_KEY: 'AB'.repeat(32) }).auditKey).toBe('ab'.repeat(32));
    expect(loadConfig({ LINKDESK_AUDIT_KEY_FILE: '/run/secrets/linkdesk-audit-key' }).auditKeyFile).toBe('/run/secrets/linkdesk-audit-key');
    const message = problems({ LINKDESK_AUDIT_KEY: 'too-short-secret' });
    expect(message).toContain('LINKDESK_AUDIT_KEY must be 64 to 128 hex digits');
    expect(message).not.toContain('too-short-secret');
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
