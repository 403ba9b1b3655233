import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientAddressFrom } from '../../src/server/auth/client-address.ts';
import { signInLimits } from '../../src/server/services/sign-in-throttle.ts';
import { createTestStack, testPassword, type TestStack } from '../support/stack.ts';
import { backends } from '../support/postgres.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const signIn = (s: TestStack, username: string, password: string, address: string, cookie?: string) =>
  s.anonymous('/bff/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-client-address': address, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });

const deviceCookieOf = (response: Response) => /linkdesk_device=[^;]+/.exec(response.headers.getSetCookie().join('\n'))?.[0] ?? '';

/** Counts real password checks (the argon2 verification) without changing what they do. */
const countChecks = (s: TestStack) => vi.spyOn(s.stores.users, 'verify');

describe.each(backends())('on %s', (backend) => {
  describe('concurrent sign-ins cannot beat the throttle', () => {
    it('checks at most 5 passwords of 200 sent at once, and the right one among them is refused once locked', async () => {
      stack = await createTestStack({ backend });
      const checks = countChecks(stack);
      const attempts = Array.from({ length: 200 }, (_, index) => signIn(stack, 'support', index === 150 ? testPassword : `guess-${index}`, '203.0.113.5'));
      const statuses = (await Promise.all(attempts)).map((response) => response.status);
      expect(checks.mock.calls.length).toBeLessThanOrEqual(signInLimits.perAccountAndAddress);
      expect(statuses[150]).toBe(429);
      expect(statuses.filter((status) => status === 429)).toHaveLength(200 - checks.mock.calls.length);
      expect((await signIn(stack, 'support', testPassword, '203.0.113.5')).status).toBe(429);
    });

    it('property: any interleaving of N wrong attempts from any addresses checks at most the limits, and then the right password is refused', async () => {
      stack = await createTestStack({ backend });
      const addresses = ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'];
      let round = 0;
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), fc.array(fc.constantFrom(...addresses), { minLength: 1, maxLength: 60 }), async (scheduler, plan) => {
          // A fresh account per run, on the same throttle tables, one window after the last run.
          round += 1;
          stack.clock.advance(signInLimits.windowMs + 1);
          const username = `target${round}`;
          await stack.stores.users.add(username, testPassword, 'viewer');
          const checks = countChecks(stack);
          const checkedFrom = new Map<string, number>();
          // The scheduler releases the attempts in an order it picks; each then runs concurrently with the rest.
          const all = Promise.all(
            plan.map(async (address, index) => {
              await scheduler.schedule(Promise.resolve(index), `attempt ${index} from ${address}`);
              const response = await signIn(stack, username, `wrong-${index}`, address);
              if (response.status !== 429) checkedFrom.set(address, (checkedFrom.get(address) ?? 0) + 1);
            }),
          );
          await scheduler.waitAll();
          await all;
          const total = checks.mock.calls.length;
          checks.mockRestore();
          expect(total).toBeLessThanOrEqual(signInLimits.perAccountFree);
          for (const [address, count] of checkedFrom) {
            expect(count).toBeLessThanOrEqual(signInLimits.perAccountAndAddress);
            if (count === signInLimits.perAccountAndAddress) expect((await signIn(stack, username, testPassword, address)).status).toBe(429);
          }
        }),
        { numRuns: 25 },
      );
    }, 180_000);
  });

  describe('lockout is not a weapon', () => {
    it('a distributed attack slows an account down (never past a minute) but does not lock it', async () => {
      stack = await createTestStack({ backend });
      for (let i = 0; i < 12; i += 1) await signIn(stack, 'qa', 'wrong', `10.1.0.${i}`);
      const slowed = await signIn(stack, 'qa', testPassword, '10.2.0.1');
      expect(slowed.status).toBe(429);
      expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(signInLimits.perAccountMaxDelayMs / 1000);
      stack.clock.advance(signInLimits.perAccountMaxDelayMs);
      expect((await signIn(stack, 'qa', testPassword, '10.2.0.1')).status).toBe(200);
    });

    it('a browser the person signed in from before is never locked by anyone else, even behind an untrusted proxy', async () => {
      stack = await createTestStack({ backend });
      // Everyone appears to come from the reverse proxy's address.
      const proxy = '10.9.9.9';
      const first = await signIn(stack, 'support', testPassword, proxy);
      expect(first.status).toBe(200);
      const device = deviceCookieOf(first);
      expect(device).not.toBe('');
      expect(first.headers.getSetCookie().find((line) => line.startsWith('linkdesk_device='))).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/);
      // The attacker, through the same proxy, burns the address, the pair and the account.
      for (let i = 0; i < 30; i += 1) await signIn(stack, i % 2 ? 'support' : `someone${i}`, 'wrong', proxy);
      expect((await signIn(stack, 'viewer', testPassword, proxy)).status).toBe(429);
      expect((await signIn(stack, 'support', testPassword, proxy, device)).status).toBe(200);
      // A device cookie counts only for the account it was issued to.
      expect((await signIn(stack, 'viewer', testPassword, proxy, device)).status).toBe(429);
    });

    it('a known browser has its own limit: 5 wrong passwords lock it', async () => {
      stack = await createTestStack({ backend });
      const device = deviceCookieOf(await signIn(stack, 'admin', testPassword, '10.3.0.1'));
      for (let i = 0; i < 5; i += 1) expect((await signIn(stack, 'admin', 'wrong', '10.3.0.1', device)).status).toBe(401);
      expect((await signIn(stack, 'admin', testPassword, '10.3.0.1', device)).status).toBe(429);
    });

    it('keeps no typed username in clear', async () => {
      stack = await createTestStack({ backend });
      await signIn(stack, 'my-secret-passphrase-typed-as-name', 'x', '10.4.0.1');
      await signIn(stack, 'qa', 'x', '10.4.0.1');
      const stored = JSON.stringify([await stack.db.selectFrom('sign_in_attempts').selectAll().execute(), await stack.db.selectFrom('sign_in_refusals').selectAll().execute()]);
      expect(stored).not.toContain('my-secret-passphrase');
      expect(stored).not.toMatch(/"qa|qa"/);
    });
  });

  describe('the client address behind reverse proxies', () => {
    it('takes the address the trusted proxy added, never what the client wrote', () => {
      expect(clientAddressFrom('10.0.0.2', '1.2.3.4, 198.51.100.7', 1)).toBe('198.51.100.7');
      expect(clientAddressFrom('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.3', 2)).toBe('198.51.100.7');
      expect(clientAddressFrom('10.0.0.2', '198.51.100.7', 2)).toBe('198.51.100.7');
      expect(clientAddressFrom('10.0.0.2', '1.2.3.4', 0)).toBe('10.0.0.2');
      expect(clientAddressFrom('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
      expect(clientAddressFrom(undefined, ' , ', 1)).toBe('unknown');
    });

    it('a client rotating X-Forwarded-For values still hits the same lock', async () => {
      stack = await createTestStack({ backend, clientAddress: (c) => clientAddressFrom('10.0.0.2', c.req.header('x-forwarded-for'), 1) });
      const attempt = (spoofed: string, password: string) =>
        stack.anonymous('/bff/session', {
          method: 'POST',
          // The proxy appends the address it saw (198.51.100.7) to whatever the client sent.
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `${spoofed}, 198.51.100.7` },
          body: JSON.stringify({ username: 'qa', password }),
        });
      for (let i = 0; i < 5; i += 1) expect((await attempt(`203.0.113.${i}`, 'wrong')).status).toBe(401);
      expect((await attempt('203.0.113.99', testPassword)).status).toBe(429);
    });
  });
});
