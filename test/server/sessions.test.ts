import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, testPassword, type TestStack } from '../support/stack.ts';
import { backends } from '../support/postgres.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const signIn = (s: TestStack, username: string, password: string, address = '10.0.0.1') =>
  s.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-client-address': address }, body: JSON.stringify({ username, password }) });

function cookieOf(response: Response) {
  return response.headers.getSetCookie().find((line) => line.startsWith('linkdesk_session=')) ?? '';
}

describe.each(backends())('on %s', (backend) => {
  describe('signing in', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie and says who you are', async () => {
      stack = await createTestStack({ backend });
      const response = await signIn(stack, 'support', testPassword);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        user: { username: 'support', role: 'support' },
        permissions: expect.arrayContaining(['links:read', 'links:delete', 'links:refresh', 'links:resume']),
      });
      const cookie = cookieOf(response);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).not.toMatch(/Secure/);
      const token = /linkdesk_session=([^;]+)/.exec(cookie)?.[1] ?? '';
      expect((await stack.app.request('/bff/session', { headers: { cookie: `linkdesk_session=${token}` } })).status).toBe(200);
      // Only a hash of the token is stored.
      const stored = await stack.db.selectFrom('sessions').select('token_hash').execute();
      expect(stored.some((row) => row.token_hash === token)).toBe(false);
    });

    it('uses Secure and the __Host- prefix when served over HTTPS', async () => {
      stack = await createTestStack({ backend, publicOrigin: 'https://linkdesk.example.com' });
      const response = await stack.app.request('/bff/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1', origin: 'https://linkdesk.example.com' },
        body: JSON.stringify({ username: 'viewer', password: testPassword }),
      });
      const cookie = response.headers.getSetCookie().find((line) => line.includes('linkdesk_session=')) ?? '';
      expect(cookie).toMatch(/^__Host-linkdesk_session=/);
      expect(cookie).toMatch(/Secure/);
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    });

    it('gives the same answer for a wrong password and an unknown user', async () => {
      stack = await createTestStack({ backend });
      const wrongPassword = await signIn(stack, 'admin', 'not-the-password');
      const unknownUser = await signIn(stack, 'nobody', testPassword);
      expect(wrongPassword.status).toBe(401);
      expect(unknownUser.status).toBe(401);
      const [a, b] = [(await wrongPassword.json()) as { code: string; message: string }[], (await unknownUser.json()) as { code: string; message: string }[]];
      expect(a[0]?.message).toBe(b[0]?.message);
      expect(a[0]?.code).toBe(b[0]?.code);
    });

    it('locks an account for 15 minutes after 5 failures from one address, and only from that address', async () => {
      stack = await createTestStack({ backend });
      for (let i = 0; i < 5; i += 1) expect((await signIn(stack, 'qa', 'wrong', '10.0.0.9')).status).toBe(401);
      const locked = await signIn(stack, 'qa', testPassword, '10.0.0.9');
      expect(locked.status).toBe(429);
      expect(((await locked.json()) as { message: string }[])[0]?.message).toBe('Too many failed sign-ins. Try again in 15 minutes.');
      expect(locked.headers.get('retry-after')).toBe('900');
      // The person signing in from elsewhere is not locked out by someone else's guesses.
      expect((await signIn(stack, 'qa', testPassword, '10.0.1.1')).status).toBe(200);
      stack.clock.advance(15 * 60_000);
      expect((await signIn(stack, 'qa', testPassword, '10.0.0.9')).status).toBe(200);
    });

    it('throttles an address after 20 failures across accounts', async () => {
      stack = await createTestStack({ backend });
      for (let i = 0; i < 20; i += 1) await signIn(stack, `user${i}`, 'wrong', '192.0.2.7');
      expect((await signIn(stack, 'viewer', testPassword, '192.0.2.7')).status).toBe(429);
      expect((await signIn(stack, 'viewer', testPassword, '192.0.2.8')).status).toBe(200);
    });

    it('rejects a malformed sign-in body with 400 and no crash', async () => {
      stack = await createTestStack({ backend });
      for (const body of ['', 'not json', '[]', '{"username": 1}', '{"username": "a"}', JSON.stringify({ username: 'a', password: 'b', extra: 1 })]) {
        const response = await stack.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(response.status).toBe(400);
      }
    });
  });

  describe('sessions', () => {
    it('end after 30 idle minutes', async () => {
      stack = await createTestStack({ backend });
      stack.clock.advance(29 * 60_000);
      expect((await stack.as('viewer')('/bff/operations')).status).toBe(200);
      stack.clock.advance(29 * 60_000);
      expect((await stack.as('viewer')('/bff/operations')).status).toBe(200);
      stack.clock.advance(30 * 60_000);
      expect((await stack.as('viewer')('/bff/operations')).status).toBe(401);
    });

    it('end after 12 hours however active', async () => {
      stack = await createTestStack({ backend });
      for (let step = 0; step < 26; step += 1) {
        stack.clock.advance(29 * 60_000);
        await stack.as('viewer')('/bff/operations');
      }
      expect((await stack.as('viewer')('/bff/operations')).status).toBe(401);
    });

    it('end on the server when you sign out', async () => {
      stack = await createTestStack({ backend });
      const out = await stack.as('support')('/bff/session', { method: 'DELETE' });
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
      expect((await stack.as('support')('/api/links/?page_size=1')).status).toBe(401);
    });

    it('end for a user whose role changes', async () => {
      stack = await createTestStack({ backend });
      const viewer = await stack.stores.users.byUsername('viewer');
      expect((await stack.request(`/bff/users/${viewer?.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'support' }) })).status).toBe(200);
      expect((await stack.as('viewer')('/bff/operations')).status).toBe(401);
    });
  });

  describe('user management', () => {
    it('adds users with strong passwords only, and keeps the last admin', async () => {
      stack = await createTestStack({ backend });
      const post = (body: unknown) => stack.request('/bff/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(((await (await post({ username: 'dana', password: 'short', role: 'viewer' })).json()) as { code: string }[])[0]?.code).toBe('weak_password');
      expect((await post({ username: 'dana', password: 'a long enough passphrase', role: 'viewer' })).status).toBe(201);
      expect((await post({ username: 'DANA', password: 'a long enough passphrase', role: 'viewer' })).status).toBe(409);
      expect((await post({ username: 'eve', password: 'a long enough passphrase', role: 'root' })).status).toBe(400);
      const admin = await stack.stores.users.byUsername('admin');
      const demote = await stack.request(`/bff/users/${admin?.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer' }) });
      expect(((await demote.json()) as { code: string }[])[0]?.code).toBe('last_admin');
      const users = (await (await stack.request('/bff/users')).json()) as { users: Record<string, unknown>[] };
      expect(JSON.stringify(users)).not.toContain('argon2');
    });
  });
});
