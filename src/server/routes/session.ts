import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { signOutSchema } from '../../contract/bff/oidc.ts';
import { sessionSchema, signInBodySchema } from '../../contract/bff/session.ts';
import type { Clock } from '../../contract/clock.ts';
import type { AppEnv } from '../app-env.ts';
import { permissionsFor } from '../auth/permissions.ts';
import type { DeviceCookie } from '../auth/device-cookie.ts';
import type { SessionCookie } from '../auth/session-cookie.ts';
import type { BelvoMode } from '../config.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import type { AuditLog } from '../store/audit.ts';
import type { SignInThrottle } from '../services/sign-in-throttle.ts';
import type { SessionStore } from '../store/sessions.ts';
import type { UserStore } from '../store/users.ts';
import { readJsonBody } from '../http/json-body.ts';

export function sessionRoutes(deps: {
  clock: Clock;
  users: UserStore;
  sessions: SessionStore;
  cookie: SessionCookie;
  audit: AuditLog;
  mode: BelvoMode;
  clientAddress: (c: Context) => string;
  throttle: SignInThrottle;
  deviceCookie: DeviceCookie;
  /** False when staff may sign in only through the identity provider (LINKDESK_LOCAL_SIGN_IN=false). */
  localSignIn?: boolean;
  /** For an SSO session, the provider's logout URL to send the browser to (RP-initiated logout). */
  endSessionUrl?: (token: string) => Promise<string | null>;
}) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.get('/session', async (c) => {
    const token = deps.cookie.read(c);
    const user = token ? await deps.sessions.resolve(token) : null;
    // "Who is signed in?" has an answer when nobody is: 204, not an error. A 401 here made every
    // signed-out page load log a failed request in the browser's console.
    if (!user) return c.body(null, 204, { 'cache-control': 'no-store' });
    return jsonAnswer(c, sessionSchema, { user: { username: user.username, role: user.role }, permissions: permissionsFor(user.role, deps.mode) }, 200, { 'cache-control': 'no-store' });
  });

  routes.post(
    '/session',
    bodyLimit({ maxSize: 4096, onError: (c) => errorResponse(c, 413, [{ code: 'payload_too_large', message: 'Send only a username and a password.' }]) }),
    async (c) => {
      if (deps.localSignIn === false) {
        return errorResponse(c, 403, [{ code: 'local_sign_in_disabled', message: 'Linkdesk accounts with a password are switched off here. Sign in with your company account.' }]);
      }
      const body = await readJsonBody(c, signInBodySchema);
      if (!body.ok) return body.response;
      const username = body.value.username.trim().toLowerCase();
      const address = deps.clientAddress(c);
      await deps.throttle.auditRefusals();
      const known = await deps.users.byUsername(username);
      // Never log what was typed for an unknown user: it may be a password in the wrong field.
      const who = { actor: known ? known.username : '(unknown user)', role: known?.role ?? null };

      // Reserved before the slow check, so concurrent attempts cannot all get past the count; the
      // message never says which limit, or which part of the credentials, was at fault.
      const reservation = await deps.throttle.begin({ username, address, knownUsername: known?.username ?? null, device: deps.deviceCookie.read(c) });
      if (!reservation.ok) {
        const seconds = Math.max(1, Math.ceil((reservation.retryAt - deps.clock.now()) / 1000));
        const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
        return errorResponse(c, 429, [{ code: 'too_many_attempts', message: `Too many failed sign-ins. Try again in ${wait}.` }], {
          'retry-after': String(seconds),
        });
      }
      const user = await deps.users.verify(username, body.value.password);
      if (!user) {
        // One row per password check; the reservation stays counted as the failure.
        await deps.audit.note('sign_in', who, 'failure', { detail: { address } });
        return errorResponse(c, 401, [{ code: 'invalid_credentials', message: 'The username or password is not right. Check both and try again.' }]);
      }
      deps.deviceCookie.write(c, await deps.throttle.succeeded(reservation));
      const session = await deps.sessions.create(user.id);
      deps.cookie.write(c, session.token, new Date(session.expiresAt));
      await deps.audit.note('sign_in', { actor: user.username, role: user.role }, 'success', { detail: { address } });
      return jsonAnswer(c, sessionSchema, { user: { username: user.username, role: user.role }, permissions: permissionsFor(user.role, deps.mode) }, 200, { 'cache-control': 'no-store' });
    },
  );

  routes.delete('/session', async (c) => {
    const token = deps.cookie.read(c);
    const user = token ? await deps.sessions.resolve(token) : null;
    const endSessionUrl = token && user && deps.endSessionUrl ? await deps.endSessionUrl(token) : null;
    if (token) await deps.sessions.end(token);
    deps.cookie.clear(c);
    if (user) {
      const finish = await deps.audit.attempt('sign_out', { actor: user.username, role: user.role });
      await finish('success');
    }
    if (endSessionUrl) return jsonAnswer(c, signOutSchema, { end_session_url: endSessionUrl }, 200, { 'cache-control': 'no-store' });
    return c.body(null, 204);
  });

  return routes;
}
