import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { OidcConfig } from '../../src/server/config.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { createTestStack, testPassword, type TestStack } from '../support/stack.ts';

const origin = 'http://linkdesk.test';
let provider: TestProvider;
let stack: TestStack | undefined;

beforeAll(async () => {
  provider = await startTestProvider({
    accounts: {
      ana: { email: 'ana@example.com', groups: ['linkdesk-support', 'everyone'] },
      bruno: { email: 'bruno@example.com', groups: ['linkdesk-admins', 'linkdesk-support'] },
      carla: { email: 'carla@example.com', groups: ['everyone'] },
      // A local account already has this username; the SSO person must never become it.
      support: { email: 'support', groups: ['linkdesk-support'] },
    },
    redirectUris: [`${origin}/bff/oidc/callback`],
    postLogoutRedirectUris: [`${origin}/sign-in`],
    idTokenTtl: 60,
  });
});
afterAll(() => provider.stop());
afterEach(() => stack?.close());

const oidcConfig = (): OidcConfig => ({
  issuer: provider.issuer,
  clientId: provider.clientId,
  clientSecret: provider.clientSecret,
  scopes: ['openid', 'profile', 'email', 'groups'],
  roleMap: new Map([
    ['linkdesk-admins', 'admin'],
    ['linkdesk-support', 'support'],
  ]),
  roleClaim: 'groups',
  displayName: 'Test SSO',
});

/** Linkdesk on a clock that starts now, so the provider's tokens are current to it. */
async function linkdeskWithSso(options: { localSignIn?: boolean } = {}) {
  stack = await createTestStack({ clock: createManualClock(Date.now()), oidc: oidcConfig(), ...options });
  return stack;
}

/** GET /bff/oidc/start as a browser: the login cookie and where it is sent. */
async function startLogin(s: TestStack) {
  const response = await s.anonymous('/bff/oidc/start?redirect=/links?status=valid');
  expect(response.status).toBe(303);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('linkdesk_oidc=')) ?? '';
  return { location: response.headers.get('location') ?? '', cookie, loginCookie: cookie.split(';')[0] ?? '' };
}

/** The provider's redirect back, requested as the browser would (path and query on Linkdesk). */
const callback = (s: TestStack, back: URL, loginCookie: string) => s.anonymous(`${back.pathname}${back.search}`, { headers: { cookie: loginCookie } });

const sessionCookieOf = (response: Response) => response.headers.getSetCookie().find((line) => line.startsWith('linkdesk_session=') && !line.startsWith('linkdesk_session=;'))?.split(';')[0];

const signInEntries = (s: TestStack) => s.stores.audit.list({ action: 'sign_in' });

/** What the app log says about refused SSO sign-ins (anonymous failures stay out of the audit log). */
const refusalsLogged = (s: TestStack) => s.logLines.filter((line) => line.includes('OIDC sign-in refused')).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('signing in through the identity provider', () => {
  it('sends the browser to the provider with PKCE, state and nonce, and a Lax login cookie', async () => {
    const s = await linkdeskWithSso();
    const { location, cookie } = await startLogin(s);
    const url = new URL(location);
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: provider.clientId,
      response_type: 'code',
      redirect_uri: `${origin}/bff/oidc/callback`,
      scope: 'openid profile email groups',
      code_challenge_method: 'S256',
    });
    for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)?.length).toBeGreaterThanOrEqual(40);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('signs a mapped person in with the role their group maps to, and never hands the browser a token', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    const back = await provider.signIn(location, 'ana');
    const response = await callback(s, back, loginCookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/links?status=valid');
    expect(await response.text()).not.toMatch(/eyJ/);
    const session = sessionCookieOf(response);
    expect(session).toBeDefined();

    const me = await s.anonymous('/bff/session', { headers: { cookie: session ?? '' } });
    expect(await me.json()).toMatchObject({ user: { username: 'ana@example.com', role: 'support' } });
    // A support person may refresh but not manage users, like a local support account.
    expect((await s.anonymous('/bff/users', { headers: { cookie: session ?? '' } })).status).toBe(403);

    const code = back.searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThan(10);
    expect(s.logLines.join('\n')).not.toContain(code);
    expect(response.headers.get('cache-control')).toBe('no-store');

    const [entry] = await signInEntries(s);
    expect(entry).toMatchObject({ actor: 'ana@example.com', role: 'support', outcome: 'success', detail: { method: 'oidc', provider: provider.issuer, subject: 'ana' } });
    const listed = (await s.stores.users.list()).find((user) => user.username === 'ana@example.com');
    expect(listed).toMatchObject({ role: 'support', sso: true });
  });

  it('gives the most capable mapped role, re-reads it at each sign-in, and ends older sessions when it changes', async () => {
    const s = await linkdeskWithSso();
    let login = await startLogin(s);
    let response = await callback(s, await provider.signIn(login.location, 'bruno'), login.loginCookie);
    const first = sessionCookieOf(response) ?? '';
    expect(await (await s.anonymous('/bff/session', { headers: { cookie: first } })).json()).toMatchObject({ user: { role: 'admin' } });

    // An admin on the Users page lowers the role; the provider still says admin at the next sign-in.
    const id = (await s.stores.users.byUsername('bruno@example.com'))?.id ?? 0;
    await s.stores.users.setRole(id, 'viewer');
    login = await startLogin(s);
    response = await callback(s, await provider.signIn(login.location, 'bruno'), login.loginCookie);
    const second = sessionCookieOf(response) ?? '';
    expect(await (await s.anonymous('/bff/session', { headers: { cookie: second } })).json()).toMatchObject({ user: { username: 'bruno@example.com', role: 'admin' } });
    expect((await s.anonymous('/bff/operations', { headers: { cookie: first } })).status).toBe(401);
  });

  it('refuses a person none of whose groups is mapped, says why, and records it', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    const response = await callback(s, await provider.signIn(location, 'carla'), loginCookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?sso_error=no_role');
    expect(sessionCookieOf(response)).toBeUndefined();
    expect((await signInEntries(s))[0]).toMatchObject({ actor: 'carla@example.com', role: null, outcome: 'denied', detail: { reason: 'no_mapped_role', subject: 'carla', values: ['everyone'] } });
    expect(await s.stores.users.byUsername('carla@example.com')).toBeNull();
  });

  it('never lets an SSO person become a local account with the same name', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    const response = await callback(s, await provider.signIn(location, 'support'), loginCookie);
    const me = await (await s.anonymous('/bff/session', { headers: { cookie: sessionCookieOf(response) ?? '' } })).json();
    expect(me.user.username).toMatch(/^support~[0-9a-f]{6}$/);
    // And an SSO account cannot be signed in to with a password.
    const local = await s.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: me.user.username, password: testPassword }) });
    expect(local.status).toBe(401);
    const reset = await s.request(`/bff/users/${(await s.stores.users.byUsername(me.user.username))?.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'a long enough new password' }) });
    expect(reset.status).toBe(400);
    expect((await reset.json())[0]).toMatchObject({ code: 'sso_account' });
  });

  it('refuses a tampered state', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    const back = await provider.signIn(location, 'ana');
    back.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const response = await callback(s, back, loginCookie);
    expect(response.headers.get('location')).toBe('/sign-in?sso_error=expired');
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await signInEntries(s)).toEqual([]);
    expect(refusalsLogged(s)).toMatchObject([{ reason: 'unknown_state' }]);
  });

  it('refuses a callback that comes to a browser which did not start the login', async () => {
    const s = await linkdeskWithSso();
    const { location } = await startLogin(s);
    const response = await callback(s, await provider.signIn(location, 'ana'), '');
    expect(response.headers.get('location')).toBe('/sign-in?sso_error=expired');
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  it('refuses a replayed code, both on the same login and on a fresh one', async () => {
    const s = await linkdeskWithSso();
    const first = await startLogin(s);
    const back = await provider.signIn(first.location, 'ana');
    expect(sessionCookieOf(await callback(s, back, first.loginCookie))).toBeDefined();

    const again = await callback(s, back, first.loginCookie);
    expect(again.headers.get('location')).toBe('/sign-in?sso_error=expired');
    expect(sessionCookieOf(again)).toBeUndefined();

    // The used code under a new, valid state: the provider refuses the exchange.
    const second = await startLogin(s);
    const replay = new URL(back);
    replay.searchParams.set('state', new URL(second.location).searchParams.get('state') ?? '');
    const response = await callback(s, replay, second.loginCookie);
    expect(response.headers.get('location')).toBe('/sign-in?sso_error=failed');
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(refusalsLogged(s)).toMatchObject([{ reason: 'unknown_state' }, { reason: 'code_invalid_grant' }]);
    // Only the one real sign-in is in the audit log: the replays were anonymous noise.
    expect((await signInEntries(s)).map((entry) => entry.outcome)).toEqual(['success']);
  });

  it('refuses an ID token whose nonce is not the one Linkdesk sent', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    // Someone swaps the nonce on the way to the provider; the provider signs what it received.
    const tampered = new URL(location);
    tampered.searchParams.set('nonce', 'a-nonce-linkdesk-never-sent-0123456789abcdef');
    const response = await callback(s, await provider.signIn(tampered.href, 'ana'), loginCookie);
    expect(response.headers.get('location')).toBe('/sign-in?sso_error=failed');
    expect(sessionCookieOf(response)).toBeUndefined();
    expect((await signInEntries(s))[0]?.detail).toMatchObject({ claim: 'nonce' });
  });

  it('refuses an ID token that has expired by the time it arrives', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    const back = await provider.signIn(location, 'ana');
    // The provider's ID tokens live 60 s; openid-client allows 30 s of clock tolerance.
    s.clock.advance(120_000);
    const response = await callback(s, back, loginCookie);
    expect(response.headers.get('location')).toBe('/sign-in?sso_error=failed');
    expect(sessionCookieOf(response)).toBeUndefined();
    expect((await signInEntries(s))[0]?.detail).toMatchObject({ claim: 'exp' });
  });

  it('signs out of the provider too, with id_token_hint and the way back', async () => {
    const s = await linkdeskWithSso();
    const { location, loginCookie } = await startLogin(s);
    const session = sessionCookieOf(await callback(s, await provider.signIn(location, 'ana'), loginCookie)) ?? '';
    const out = await s.anonymous('/bff/session', { method: 'DELETE', headers: { cookie: session } });
    expect(out.status).toBe(200);
    const endSession = new URL((await out.json()).end_session_url);
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${origin}/sign-in`);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect((await s.anonymous('/bff/operations', { headers: { cookie: session } })).status).toBe(401);
    // A local account's sign-out stays as it was.
    expect((await s.as('viewer')('/bff/session', { method: 'DELETE' })).status).toBe(204);
  });

  it('tells the sign-in page what to offer', async () => {
    const s = await linkdeskWithSso();
    expect(await (await s.anonymous('/bff/sign-in-methods')).json()).toEqual({ local: true, sso: { name: 'Test SSO', start_url: '/bff/oidc/start' } });
  });
});

describe('when the provider is down', () => {
  it('answers SSO with a clear error, keeps local sign-in working, and tries again later', async () => {
    const down = await startTestProvider({ accounts: { ana: { groups: ['linkdesk-support'] } }, redirectUris: [`${origin}/bff/oidc/callback`] });
    await down.stop();
    stack = await createTestStack({ clock: createManualClock(Date.now()), oidc: { ...oidcConfig(), issuer: down.issuer } });
    const s = stack;

    const start = await s.anonymous('/bff/oidc/start');
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/sign-in?sso_error=unavailable');
    expect(await (await s.anonymous('/bff/sign-in-methods')).json()).toMatchObject({ sso: { name: 'Test SSO' } });

    const local = await s.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'support', password: testPassword }) });
    expect(local.status).toBe(200);

    await down.start();
    s.clock.advance(5_000);
    const retried = await s.anonymous('/bff/oidc/start');
    expect(new URL(retried.headers.get('location') ?? '', origin).origin).toBe(down.issuer);
    await down.stop();
  });
});

describe('with local sign-in switched off', () => {
  it('refuses a password sign-in on the server and says so to the sign-in page', async () => {
    const s = await linkdeskWithSso({ localSignIn: false });
    const response = await s.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: testPassword }) });
    expect(response.status).toBe(403);
    expect((await response.json())[0]).toMatchObject({ code: 'local_sign_in_disabled' });
    expect(await (await s.anonymous('/bff/sign-in-methods')).json()).toMatchObject({ local: false });
  });
});
