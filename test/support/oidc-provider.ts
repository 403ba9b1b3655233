import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  email?: string;
  name?: string;
  groups?: string[];
}

export interface TestProviderOptions {
  /** accountId → claims; the provider's login form accepts any of these ids with any password. */
  accounts: Record<string, TestAccount>;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** ID token lifetime in seconds (the provider's default is an hour). */
  idTokenTtl?: number;
  /** Listen on this port (to come back on the same issuer after `stop`); a free one otherwise. */
  port?: number;
  /**
   * `localhost` makes the issuer http://localhost:<port> (listening on 127.0.0.1 and ::1), so a
   * browser treats the provider as another site than Linkdesk on 127.0.0.1, as in production.
   */
  hostname?: '127.0.0.1' | 'localhost';
}

export const testClient = { clientId: 'linkdesk-test', clientSecret: 'linkdesk-test-secret-0123456789abcdef' };

// One signing key per test run: generating RSA keys is slow, and the provider would otherwise use
// a development key and say so.
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, in this process:
 * one confidential client for Linkdesk, a `groups` scope and claim, PKCE required, RP-initiated
 * logout, and its development login form (any listed account id, any password). `stop()` takes
 * it down, so a test can see what Linkdesk does when the provider is unreachable.
 */
export async function startTestProvider(options: TestProviderOptions) {
  let servers: Server[] = [];
  const port = options.port ?? (await freePort());
  const hostname = options.hostname ?? '127.0.0.1';
  const issuer = `http://${hostname}:${port}`;
  const configuration: Configuration = {
    clients: [
      {
        client_id: testClient.clientId,
        client_secret: testClient.clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'test' }] as never },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    // Claims of the granted scopes go in the ID token too, as Keycloak and Okta do for groups.
    conformIdTokenClaims: false,
    pkce: { required: () => true, methods: ['S256'] },
    ttl: { IdToken: options.idTokenTtl ?? 3600, AccessToken: 600 },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({ sub: id, preferred_username: id, email: account.email, email_verified: true, name: account.name ?? id, groups: account.groups }),
      };
    },
    // Linkdesk is a first-party client: no consent screen, as a company provider is set up.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { Grant } = ctx.oidc.provider;
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(String(ctx.oidc.params!.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const listenOn = (address: string) =>
    new Promise<void>((resolve, reject) => {
      const handle = provider.callback();
      const server = createServer((req, res) => void handle(req, res));
      server.once('error', reject);
      server.listen(port, address, () => {
        servers.push(server);
        resolve();
      });
    });
  const listen = async () => {
    await listenOn('127.0.0.1');
    // Where ::1 exists, `localhost` may resolve to it first.
    if (hostname === 'localhost') await listenOn('::1').catch(() => undefined);
  };
  await listen();

  return {
    issuer,
    port,
    ...testClient,
    /** Takes the provider down: connections are refused until `start()`. */
    stop: async () => {
      const closing = servers;
      servers = [];
      await Promise.all(
        closing.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
    /** Brings it back on the same issuer. */
    start: listen,
    /**
     * Goes through the provider's login form as `accountId` from `authorizationUrl`, as a browser
     * would, and returns where the provider sends the person back (the redirect URI with code and
     * state) without following it.
     */
    async signIn(authorizationUrl: string, accountId: string): Promise<URL> {
      const jar = new Map<string, string>();
      const send = async (url: URL, init: RequestInit = {}) => {
        const headers = new Headers(init.headers);
        if (jar.size > 0) headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
        const response = await fetch(url, { ...init, headers, redirect: 'manual' });
        for (const line of response.headers.getSetCookie()) {
          const [pair = ''] = line.split(';');
          const at = pair.indexOf('=');
          jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        return response;
      };
      let url = new URL(authorizationUrl);
      for (let step = 0; step < 10; step += 1) {
        const response = await send(url);
        const location = response.headers.get('location');
        if (location) {
          const next = new URL(location, url);
          if (next.origin !== issuer) return next;
          url = next;
          continue;
        }
        if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) {
          throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${(await response.text()).slice(0, 300)}`);
        }
        await response.text();
        const submitted = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' }).toString(),
        });
        const after = submitted.headers.get('location');
        if (!after) throw new Error(`the login form answered ${submitted.status}: ${(await submitted.text()).slice(0, 300)}`);
        url = new URL(after, url);
      }
      throw new Error('the provider kept redirecting');
    },
  };
}
export type TestProvider = Awaited<ReturnType<typeof startTestProvider>>;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
