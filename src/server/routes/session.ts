import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.ts';
import type { AppEnv } from '../app-env.ts';
import { permissionsFor } from '../auth/permissions.ts';
import type { SessionCookie } from '../auth/session-cookie.ts';
import type { BelvoMode } from '../config.ts';
import { errorResponse } from '../errors.ts';
import type { AuditLog } from '../store/audit.ts';
import type { SessionStore } from '../store/sessions.ts';
import type { Db } from '../store/store.ts';
import type { UserStore } from '../store/users.ts';
import { readJsonBody } from './json-body.ts';

const signInSchema = z.strictObject({
  username: z.string().check(z.minLength(1, 'Enter your username.'), z.maxLength(128)),
  password: z.string().check(z.minLength(1, 'Enter your password.'), z.maxLength(512)),
});

/** OWASP ASVS 5.0 V6.3: throttle by account and by address; the message never says which part was wrong. */
const failureWindowMs = 15 * 60_000;
const maxFailuresPerAccount = 5;
const maxFailuresPerAddress = 20;

export function sessionRoutes(deps: {
  db: Db;
  clock: Clock;
  users: UserStore;
  sessions: SessionStore;
  cookie: SessionCookie;
  audit: AuditLog;
  mode: BelvoMode;
  clientAddress: (c: Context) => string;
}) {
  const routes = new Hono<AppEnv>({ strict: true });
  const failures = {
    count: deps.db.prepare('SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE key = ? AND at > ?'),
    add: deps.db.prepare('INSERT INTO sign_in_failures (key, at) VALUES (?, ?)'),
    clear: deps.db.prepare('DELETE FROM sign_in_failures WHERE key = ?'),
    prune: deps.db.prepare('DELETE FROM sign_in_failures WHERE at <= ?'),
  };
  const lockedUntil = (key: string, max: number) => {
    const row = failures.count.get(key, deps.clock.now() - failureWindowMs) as { n: number; oldest: number | null };
    return row.n >= max && row.oldest !== null ? row.oldest + failureWindowMs : null;
  };

  routes.get('/session', (c) => {
    const token = deps.cookie.read(c);
    const user = token ? deps.sessions.resolve(token) : null;
    // "Who is signed in?" has an answer when nobody is: 204, not an error. A 401 here made every
    // signed-out page load log a failed request in the browser's console.
    if (!user) return c.body(null, 204, { 'cache-control': 'no-store' });
    return c.json({ user: { username: user.username, role: user.role }, permissions: permissionsFor(user.role, deps.mode) }, 200, { 'cache-control': 'no-store' });
  });

  routes.post(
    '/session',
    bodyLimit({ maxSize: 4096, onError: (c) => errorResponse(c, 413, [{ code: 'payload_too_large', message: 'Send only a username and a password.' }]) }),
    async (c) => {
      const body = await readJsonBody(c, signInSchema);
      if (!body.ok) return body.response;
      const username = body.value.username.trim().toLowerCase();
      const address = deps.clientAddress(c);
      failures.prune.run(deps.clock.now() - failureWindowMs);
      const known = deps.users.byUsername(username);
      // Never log what was typed for an unknown user: it may be a password in the wrong field.
      const finish = deps.audit.attempt('sign_in', { actor: known ? known.username : '(unknown user)', role: known?.role ?? null }, { detail: { address } });

      const until = Math.max(lockedUntil(`user:${username}`, maxFailuresPerAccount) ?? 0, lockedUntil(`ip:${address}`, maxFailuresPerAddress) ?? 0);
      if (until > deps.clock.now()) {
        finish('throttled');
        const minutes = Math.max(1, Math.ceil((until - deps.clock.now()) / 60_000));
        return errorResponse(c, 429, [{ code: 'too_many_attempts', message: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` }], {
          'retry-after': String(Math.ceil((until - deps.clock.now()) / 1000)),
        });
      }
      const user = await deps.users.verify(username, body.value.password);
      if (!user) {
        failures.add.run(`user:${username}`, deps.clock.now());
        failures.add.run(`ip:${address}`, deps.clock.now());
        finish('failure');
        return errorResponse(c, 401, [{ code: 'invalid_credentials', message: 'The username or password is not right. Check both and try again.' }]);
      }
      failures.clear.run(`user:${username}`);
      const session = deps.sessions.create(user.id);
      deps.cookie.write(c, session.token, new Date(session.expiresAt));
      finish('success');
      return c.json({ user: { username: user.username, role: user.role }, permissions: permissionsFor(user.role, deps.mode) }, 200, { 'cache-control': 'no-store' });
    },
  );

  routes.delete('/session', (c) => {
    const token = deps.cookie.read(c);
    const user = token ? deps.sessions.resolve(token) : null;
    if (token) deps.sessions.end(token);
    deps.cookie.clear(c);
    if (user) deps.audit.attempt('sign_out', { actor: user.username, role: user.role })('success');
    return c.body(null, 204);
  });

  return routes;
}
