import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { chromiumPath, launchChromium, startLinkdesk, watchForErrors, type Linkdesk } from './harness.ts';

/**
 * The whole SSO journey in Chromium: Linkdesk as `npm start` runs it, a real OpenID Connect
 * provider on localhost (another site than Linkdesk on 127.0.0.1, as in production, so the
 * cross-site redirect back is really cross-site), its own login form, and RP-initiated logout.
 */
describe.skipIf(!chromiumPath())('signing in through the identity provider in Chromium', () => {
  let provider: TestProvider;
  let linkdesk: Linkdesk;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    provider = await startTestProvider({
      hostname: 'localhost',
      accounts: { ana: { email: 'ana@example.com', groups: ['linkdesk-support'] } },
      redirectUris: [`${origin}/bff/oidc/callback`],
      postLogoutRedirectUris: [`${origin}/sign-in`],
    });
    [linkdesk, browser] = await Promise.all([
      startLinkdesk({
        PORT: String(port),
        LINKDESK_OIDC_ISSUER: provider.issuer,
        LINKDESK_OIDC_CLIENT_ID: provider.clientId,
        LINKDESK_OIDC_CLIENT_SECRET: provider.clientSecret,
        LINKDESK_OIDC_SCOPES: 'groups',
        LINKDESK_OIDC_ROLE_MAP: 'linkdesk-admins=admin,linkdesk-support=support',
        LINKDESK_OIDC_DISPLAY_NAME: 'Acme SSO',
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await linkdesk?.stop();
    await provider?.stop();
  });

  it('signs in at the provider, lands where it started with the mapped role, and signs out of both', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // The provider's development pages link web fonts from the internet, which tests do not reach.
    await context.route(/^https:\/\//, (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
    const page: Page = await context.newPage();
    const problems = watchForErrors(page);

    await page.goto(`${linkdesk.url}/links?page_size=10`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();

    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill('ana');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();

    await page.waitForURL(`${linkdesk.url}/links?page_size=10`);
    await expect.poll(() => page.getByText('Signed in as ana@example.com').isVisible()).toBe(true);
    await expect.poll(() => page.locator('table tbody tr[aria-rowindex]').count()).toBe(10);
    // The mapped role: support may refresh and delete, and has no Users page.
    expect(await page.getByRole('button', { name: /^Refresh link/ }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    // No token ever reached the browser: only Linkdesk's session cookie, HttpOnly.
    const cookies = await context.cookies(linkdesk.url);
    expect(cookies.map((cookie) => cookie.name)).toEqual(['linkdesk_session']);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${linkdesk.url}/sign-in`);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Linkdesk' }).isVisible()).toBe(true);
    expect((await page.request.get(`${linkdesk.url}/api/links/?page_size=1`)).status()).toBe(401);

    await context.close();
    expect(problems).toEqual([]);
  });
});

describe('starting while the identity provider is down', () => {
  it('starts anyway, says so, answers SSO with a clear error and keeps local sign-in', async () => {
    const deadPort = await freePort();
    const linkdesk = await startLinkdesk({
      LINKDESK_OIDC_ISSUER: `http://127.0.0.1:${deadPort}`,
      LINKDESK_OIDC_CLIENT_ID: 'linkdesk',
      LINKDESK_OIDC_CLIENT_SECRET: 'secret',
      LINKDESK_OIDC_ROLE_MAP: 'linkdesk-admins=admin',
    });
    try {
      expect(linkdesk.output()).toContain(`http://127.0.0.1:${deadPort} did not answer discovery`);
      const start = await fetch(`${linkdesk.url}/bff/oidc/start`, { redirect: 'manual' });
      expect(start.status).toBe(303);
      expect(start.headers.get('location')).toBe('/sign-in?sso_error=unavailable');
      const local = await fetch(`${linkdesk.url}/bff/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' },
        body: JSON.stringify({ username: 'admin', password: linkdesk.accounts.admin }),
      });
      expect(local.status).toBe(200);
    } finally {
      await linkdesk.stop();
    }
  });
});

