import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../../contract/clock.ts';
import type { AuditLog } from '../store/audit.ts';
import type { Db } from '../store/store.ts';
import { createThrottleStore, type Reservation, type ThrottleKey } from '../store/throttle.ts';

/**
 * Sign-in limits (OWASP ASVS 5.0 V6.3; the Authentication Cheat Sheet's device cookies). Every
 * limit counts password checks *started* in a sliding 15-minute window, so concurrency cannot
 * beat it. What an attacker can do to someone else's account is bounded:
 *
 * - one account from one address: 5 checks, then locked for the window (only that pair);
 * - one address, any accounts: 20 checks, then locked (password spraying);
 * - one account, all addresses together: 10 checks, then one check per growing pause (1 s, 2 s …
 *   60 s at most), never a lock, so a distributed attack slows the account but cannot shut it;
 * - a browser where the account signed in before (a device cookie, 180 days) is throttled on its
 *   own, 5 checks then locked, and is not subject to the address or account limits at all: nobody
 *   else can lock a person out of their own browser.
 */
export const signInLimits = {
  windowMs: 15 * 60_000,
  perAccountAndAddress: 5,
  perAddress: 20,
  perAccountFree: 10,
  perAccountMaxDelayMs: 60_000,
  perDevice: 5,
  deviceLifetimeMs: 180 * 24 * 3_600_000,
} as const;

const deviceCookieName = 'linkdesk_device';

export interface SignInAttempt {
  /** What was typed, trimmed and lower-cased; only ever stored as an HMAC. */
  username: string;
  address: string;
  /** The existing user's name for audit rows, or null for an unknown one. */
  knownUsername: string | null;
}

export function createSignInThrottle(deps: { db: Db; clock: Clock; secret: Buffer; audit: AuditLog; secureCookie: boolean }) {
  const store = createThrottleStore(deps.db, deps.clock, signInLimits.windowMs);
  // Keys are keyed hashes: a username typed at a failed sign-in (perhaps a password in the wrong
  // field) is never kept, and a copy of the database does not tell which names were tried.
  const keyingKey = createHmac('sha256', deps.secret).update('linkdesk sign-in throttle v1').digest();
  const keyOf = (...parts: string[]) => createHmac('sha256', keyingKey).update(JSON.stringify(parts)).digest('hex').slice(0, 40);

  const cookieOptions = {
    path: '/bff/session',
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: deps.secureCookie,
    maxAge: Math.floor(signInLimits.deviceLifetimeMs / 1000),
  };

  const keysFor = (attempt: SignInAttempt, device: string | null) => {
    const accountKey = keyOf('account', attempt.username);
    const actor = attempt.knownUsername ?? '(unknown user)';
    if (device !== null && store.deviceAccount(device) === accountKey) {
      const deviceKey: ThrottleKey = { key: keyOf('device', device), rule: { kind: 'lock', limit: signInLimits.perDevice }, actor, reason: 'device' };
      return { accountKey, keys: [deviceKey], own: [deviceKey.key] };
    }
    const pair: ThrottleKey = { key: keyOf('pair', attempt.username, attempt.address), rule: { kind: 'lock', limit: signInLimits.perAccountAndAddress }, actor, reason: 'account_and_address' };
    const address: ThrottleKey = { key: keyOf('address', attempt.address), rule: { kind: 'lock', limit: signInLimits.perAddress }, actor: '(any user)', reason: 'address' };
    const account: ThrottleKey = {
      key: accountKey,
      rule: { kind: 'delay', free: signInLimits.perAccountFree, maxDelayMs: signInLimits.perAccountMaxDelayMs },
      actor,
      reason: 'account',
    };
    return { accountKey, keys: [pair, address, account], own: [pair.key] };
  };

  const readDevice = (c: Context) => (deps.secureCookie ? getCookie(c, deviceCookieName, 'host') : getCookie(c, deviceCookieName)) ?? null;

  return {
    /**
     * Reserves one password check for this attempt, or refuses it. Call it before the check and
     * synchronously with reading the request: the reservation is what keeps concurrent attempts
     * within the limits.
     */
    begin(c: Context, attempt: SignInAttempt): Reservation & { accountKey: string; own: string[]; device: string | null } {
      const device = readDevice(c);
      const { accountKey, keys, own } = keysFor(attempt, device);
      return { ...store.reserve(keys, attempt.address), accountKey, own, device };
    },
    /** The right password: refund the check, reset this person's own counters, remember this browser. */
    succeeded(c: Context, reservation: { attempt: string; accountKey: string; own: string[]; device: string | null }) {
      store.succeeded(reservation.attempt, reservation.own);
      const token = store.rememberDevice(reservation.accountKey, reservation.device, signInLimits.deviceLifetimeMs);
      // `__Host-` needs Path=/; over plain HTTP the cookie is scoped to the sign-in endpoint.
      if (deps.secureCookie) setCookie(c, deviceCookieName, token, { ...cookieOptions, path: '/', prefix: 'host' });
      else setCookie(c, deviceCookieName, token, cookieOptions);
    },
    /**
     * Writes one audit row per throttled key and lock, with how many attempts it refused, once
     * the lock has ended (or all of them, at shutdown). Refusals never write a row each.
     */
    auditRefusals(everything = false) {
      for (const refusal of store.takeRefusals(everything)) {
        deps.audit.note('sign_in', { actor: refusal.actor, role: null }, 'throttled', {
          detail: {
            address: refusal.address,
            limit: refusal.reason,
            refused: refusal.count,
            first_refused_at: new Date(refusal.first_at).toISOString(),
            last_refused_at: new Date(refusal.last_at).toISOString(),
          },
        });
      }
    },
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
