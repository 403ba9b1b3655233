import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { signInMethodsSchema } from '../../contract/bff/oidc.ts';
import type { AppEnv } from '../app-env.ts';
import type { SessionCookie } from '../auth/session-cookie.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import type { OidcSignIn } from '../services/oidc-sign-in.ts';
import { pendingLoginMs } from '../store/oidc.ts';

/** Only a path on this site, never `//elsewhere` or a full URL: an open redirect would pass state along. */
const safeReturnTo = (value: string | undefined) => (value && /^\/(?![/\\])/.test(value) && value.length <= 2000 && !value.startsWith('/bff/') ? value : '/');

/**
 * The login cookie ties a callback to the browser that started the login (login CSRF). It is
 * SameSite=Lax, unlike the session cookie: the provider's redirect back is a cross-site
 * navigation, on which a Strict cookie is not sent.
 */
function loginCookie(secure: boolean) {
  const bare = 'linkdesk_oidc';
  const options = { path: '/', httpOnly: true, sameSite: 'Lax' as const, secure, ...(secure ? { prefix: 'host' as const } : {}) };
  return {
    read: (c: Context) => (secure ? getCookie(c, bare, 'host') : getCookie(c, bare)) ?? null,
    write: (c: Context, value: string) => setCookie(c, bare, value, { ...options, maxAge: pendingLoginMs / 1000 }),
    clear: (c: Context) => deleteCookie(c, bare, options),
  };
}

/** Where the sign-in page shows why SSO did not finish, in the person's language. */
const signInProblemPage = (problem: string) => `/sign-in?sso_error=${problem}`;

export function oidcRoutes(deps: { oidcSignIn: OidcSignIn | null; localSignIn: boolean; cookie: SessionCookie; secure: boolean; clientAddress: (c: Context) => string }) {
  const routes = new Hono<AppEnv>({ strict: true });
  const { oidcSignIn } = deps;
  const login = loginCookie(deps.secure);

  routes.get('/sign-in-methods', (c) =>
    jsonAnswer(
      c,
      signInMethodsSchema,
      { local: deps.localSignIn, sso: oidcSignIn ? { name: oidcSignIn.displayName, start_url: '/bff/oidc/start' } : null },
      200,
      { 'cache-control': 'no-store' },
    ),
  );

  routes.get('/oidc/*', async (c, next) => {
    if (!oidcSignIn) return errorResponse(c, 404, [{ code: 'not_found', message: 'Sign-in through an identity provider is not configured here (LINKDESK_OIDC_ISSUER is unset).' }]);
    c.header('cache-control', 'no-store');
    return next();
  });

  routes.get('/oidc/start', async (c) => {
    if (!oidcSignIn) return c.notFound();
    const started = await oidcSignIn.start(safeReturnTo(c.req.query('redirect')));
    if (!started.ok) return c.redirect(signInProblemPage(started.problem), 303);
    login.write(c, started.binding);
    return c.redirect(started.authorizationUrl, 303);
  });

  routes.get('/oidc/callback', async (c) => {
    if (!oidcSignIn) return c.notFound();
    const binding = login.read(c);
    login.clear(c);
    const result = await oidcSignIn.complete(new URL(c.req.url), binding, deps.clientAddress(c));
    if (!result.ok) return c.redirect(signInProblemPage(result.problem), 303);
    deps.cookie.write(c, result.sessionToken, new Date(result.expiresAt));
    return c.redirect(result.returnTo, 303);
  });

  return routes;
}
