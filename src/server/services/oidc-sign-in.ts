import * as client from 'openid-client';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import { roles, type Role } from '../../contract/roles.ts';
import type { OidcSignInProblem } from '../../contract/bff/oidc.ts';
import { isLoopback, type OidcConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { AuditLog } from '../store/audit.ts';
import type { OidcStore } from '../store/oidc.ts';
import type { SessionStore } from '../store/sessions.ts';

/** Between two discovery attempts while the provider is down, so clicks do not become a flood. */
const rediscoverMs = 5_000;

export type OidcStart = { ok: true; authorizationUrl: string; binding: string } | { ok: false; problem: OidcSignInProblem };
export type OidcCallback =
  | { ok: true; sessionToken: string; expiresAt: number; returnTo: string }
  | { ok: false; problem: OidcSignInProblem };

/**
 * Sign-in through the company's OpenID Connect provider, all on the proxy: authorization code with
 * PKCE (S256), `state` and `nonce`, the code exchanged with the client secret, and the ID token
 * checked by openid-client (signature, issuer, audience, expiry, nonce). The browser only ever
 * carries the code and state through redirects; no token reaches it.
 *
 * Discovery runs at start and again on demand while it has not succeeded, so a provider that is
 * down when Linkdesk starts costs only SSO, and only until it is back.
 */
export function createOidcSignIn(deps: {
  config: OidcConfig;
  clock: Clock;
  oidc: OidcStore;
  sessions: SessionStore;
  audit: AuditLog;
  logger: Logger;
  /** Linkdesk's origin as browsers reach it, for the redirect URI (known once listening). */
  origin: () => string;
}) {
  const { config, clock, audit } = deps;
  const insecure = new URL(config.issuer).protocol === 'http:' && isLoopback(new URL(config.issuer));
  let server: client.ServerMetadata | null = null;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let discovering: Promise<boolean> | null = null;

  const redirectUri = () => `${deps.origin()}/bff/oidc/callback`;
  const postLogoutRedirectUri = () => `${deps.origin()}/sign-in`;

  function discover(): Promise<boolean> {
    if (server) return Promise.resolve(true);
    discovering ??= (async () => {
      lastAttemptAt = clock.now();
      try {
        const discovered = await client.discovery(new URL(config.issuer), config.clientId, undefined, undefined, {
          execute: insecure ? [client.allowInsecureRequests] : [],
          timeout: 10,
        });
        server = discovered.serverMetadata();
        deps.logger.info({ issuer: config.issuer }, 'identity provider discovered');
        return true;
      } catch (error) {
        deps.logger.warn({ issuer: config.issuer, err: { name: (error as Error).name, message: (error as Error).message } }, 'identity provider discovery failed; SSO is unavailable until it succeeds');
        return false;
      } finally {
        discovering = null;
      }
    })();
    return discovering;
  }

  /**
   * A client for one exchange. It is rebuilt each time so that ID token expiry is judged by
   * Linkdesk's clock (openid-client takes the skew only when a configuration is made).
   */
  function configuration(metadata: client.ServerMetadata): client.Configuration {
    const skew = Math.round((clock.now() - Date.now()) / 1000);
    const configured = new client.Configuration(metadata, config.clientId, { [client.clockSkew]: skew }, client.ClientSecretBasic(config.clientSecret));
    if (insecure) client.allowInsecureRequests(configured);
    return configured;
  }

  const fail = (problem: OidcSignInProblem) => ({ ok: false as const, problem });

  /** The person's role: every claim value the map knows, the most capable of them (admin, qa, support, viewer). */
  function roleFrom(claimValue: unknown): Role | null {
    const values = Array.isArray(claimValue) ? claimValue : typeof claimValue === 'string' ? [claimValue] : [];
    const mapped = values.flatMap((value) => (typeof value === 'string' && config.roleMap.has(value) ? [config.roleMap.get(value) as Role] : []));
    if (mapped.length === 0) return null;
    return mapped.reduce((best, role) => (roles.indexOf(role) > roles.indexOf(best) ? role : best));
  }

  return {
    /** What the sign-in button is called. */
    displayName: config.displayName,
    issuer: config.issuer,
    discover,

    async start(returnTo: string): Promise<OidcStart> {
      if (!server && clock.now() - lastAttemptAt >= rediscoverMs) await discover();
      if (!server) return fail('unavailable');
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const binding = randomBytes(32).toString('base64url');
      await deps.oidc.addLogin(state, binding, { nonce, codeVerifier, returnTo });
      const authorizationUrl = client.buildAuthorizationUrl(configuration(server), {
        redirect_uri: redirectUri(),
        scope: config.scopes.join(' '),
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { ok: true, authorizationUrl: authorizationUrl.href, binding };
    },

    /** The provider's redirect back: `callbackUrl` as the browser requested it, `binding` from the login cookie. */
    async complete(callbackUrl: URL, binding: string | null, address: string): Promise<OidcCallback> {
      const provider = config.issuer;
      // Anyone can send a callback with a made-up state or code (and start a login to get a real
      // state), so what fails before the provider has vouched for someone goes to the log, never
      // to the append-only audit log, which anonymous requests must not be able to fill. What
      // fails after it did (an ID token's check, an unmapped person) is audited, once.
      const refuse = (problem: OidcSignInProblem, reason: string, extra: Record<string, unknown> = {}) => {
        deps.logger.warn({ provider, reason, address, ...extra }, 'OIDC sign-in refused');
        return fail(problem);
      };
      const refuseAudited = async (problem: OidcSignInProblem, reason: string, who: { actor: string; role: Role | null }, extra: Record<string, unknown> = {}) => {
        await audit.note('sign_in', who, problem === 'no_role' ? 'denied' : 'failure', { detail: { method: 'oidc', provider, reason, address, ...extra } });
        return refuse(problem, reason, extra);
      };
      const state = callbackUrl.searchParams.get('state');
      const login = state ? await deps.oidc.takeLogin(state, binding) : null;
      if (!login) return refuse('expired', state ? 'unknown_state' : 'missing_state');
      const providerError = callbackUrl.searchParams.get('error');
      if (providerError) return refuse(providerError === 'access_denied' ? 'denied' : 'failed', `provider_${providerError.slice(0, 40)}`);
      if (!server) return refuse('unavailable', 'not_discovered');
      const configured = configuration(server);

      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        // The URL the provider redirected to, with Linkdesk's public origin (behind a proxy the
        // request URL may say http://127.0.0.1), so openid-client compares the right redirect_uri.
        const current = new URL(`${redirectUri()}${callbackUrl.search}`);
        tokens = await client.authorizationCodeGrant(configured, current, { pkceCodeVerifier: login.codeVerifier, expectedState: state ?? undefined, expectedNonce: login.nonce, idTokenExpected: true }, { redirect_uri: redirectUri() });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const unreachable = error instanceof TypeError || code === 'OAUTH_TIMEOUT' || (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError';
        if (unreachable) return refuse('unavailable', 'provider_unreachable', { problem: (error as Error).message.slice(0, 200) });
        // The provider refused the code (used, expired, made up): nobody was vouched for.
        if (error instanceof client.ResponseBodyError) return refuse('failed', `code_${error.error.slice(0, 40)}`, { problem: error.message.slice(0, 200) });
        // An ID token the provider issued failed a check. openid-client wraps oauth4webapi's
        // error, which names the claim (nonce, exp, aud, iss).
        const inner = (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
        const claim = (inner.cause as { claim?: unknown } | undefined)?.claim;
        return refuseAudited('failed', typeof code === 'string' ? code.toLowerCase() : 'rejected', { actor: '(unknown user)', role: null }, {
          problem: inner.message.slice(0, 200),
          ...(typeof claim === 'string' ? { claim } : {}),
        });
      }
      const claims = tokens.claims();
      if (!claims) return refuseAudited('failed', 'no_id_token', { actor: '(unknown user)', role: null });
      const subject = claims.sub;
      let claimValue = claims[config.roleClaim];
      if (claimValue === undefined && server.userinfo_endpoint && tokens.access_token) {
        // Some providers (Okta's org server, Entra with many groups) put groups only in userinfo.
        try {
          claimValue = (await client.fetchUserInfo(configured, tokens.access_token, subject))[config.roleClaim];
        } catch (error) {
          deps.logger.warn({ issuer: provider, err: { name: (error as Error).name, message: (error as Error).message } }, 'OIDC userinfo failed');
        }
      }
      const identity = `oidc:${provider}#${subject}`;
      const name = [claims.email, claims.preferred_username, subject].find((value): value is string => typeof value === 'string' && value.trim() !== '') ?? subject;
      const role = roleFrom(claimValue);
      if (!role) {
        // Whoever lost every mapped group loses the sessions they still have too.
        const known = await deps.oidc.findUser(identity);
        if (known) await deps.sessions.endAllFor(known.id);
        const values = (Array.isArray(claimValue) ? claimValue : claimValue === undefined ? [] : [claimValue]).slice(0, 20).map((value) => String(value).slice(0, 100));
        return refuseAudited('no_role', 'no_mapped_role', { actor: known?.username ?? name, role: null }, { subject, claim: config.roleClaim, values });
      }
      const user = await deps.oidc.upsertUser(identity, name, role);
      // A role change ends the person's other sessions, as a change on the Users page does.
      if (user.previousRole) await deps.sessions.endAllFor(user.id);
      const session = await deps.sessions.create(user.id);
      if (tokens.id_token) await deps.oidc.setIdToken(session.token, tokens.id_token);
      await audit.note('sign_in', { actor: user.username, role: user.role }, 'success', {
        detail: { method: 'oidc', provider, subject, address, ...(user.previousRole ? { previous_role: user.previousRole } : {}) },
      });
      return { ok: true, sessionToken: session.token, expiresAt: session.expiresAt, returnTo: login.returnTo };
    },

    /**
     * Where to send the browser after signing out an SSO session: the provider's end_session
     * endpoint with id_token_hint and the way back, or null (a local session, or a provider
     * without RP-initiated logout). Read before the session ends.
     */
    async endSessionUrl(sessionToken: string): Promise<string | null> {
      const idToken = await deps.oidc.idTokenFor(sessionToken);
      if (!idToken || !server?.end_session_endpoint) return null;
      return client.buildEndSessionUrl(configuration(server), { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri() }).href;
    },
  };
}
export type OidcSignIn = ReturnType<typeof createOidcSignIn>;
