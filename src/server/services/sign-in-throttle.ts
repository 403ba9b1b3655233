import type { AuditLog } from '../store/audit.ts';
import { signInWindowMs, type Reservation, type ThrottleKey, type ThrottleStore } from '../store/throttle.ts';

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
  windowMs: signInWindowMs,
  perAccountAndAddress: 5,
  perAddress: 20,
  perAccountFree: 10,
  perAccountMaxDelayMs: 60_000,
  perDevice: 5,
  deviceLifetimeMs: 180 * 24 * 3_600_000,
} as const;

export interface SignInAttempt {
  /** What was typed, trimmed and lower-cased; only ever stored as an HMAC. */
  username: string;
  address: string;
  /** The existing user's name for audit rows, or null for an unknown one. */
  knownUsername: string | null;
  /** The device cookie the browser sent, if any. */
  device: string | null;
}

export type SignInReservation = Reservation & { accountKey: string; own: string[]; device: string | null };

export function createSignInThrottle(deps: { throttle: ThrottleStore; audit: AuditLog }) {
  const store = deps.throttle;

  const keysFor = async (attempt: SignInAttempt) => {
    const accountKey = store.keyOf('account', attempt.username);
    const actor = attempt.knownUsername ?? '(unknown user)';
    if (attempt.device !== null && (await store.deviceAccount(attempt.device)) === accountKey) {
      const deviceKey: ThrottleKey = { key: store.keyOf('device', attempt.device), rule: { kind: 'lock', limit: signInLimits.perDevice }, actor, reason: 'device' };
      return { accountKey, keys: [deviceKey], own: [deviceKey.key] };
    }
    const pair: ThrottleKey = { key: store.keyOf('pair', attempt.username, attempt.address), rule: { kind: 'lock', limit: signInLimits.perAccountAndAddress }, actor, reason: 'account_and_address' };
    const address: ThrottleKey = { key: store.keyOf('address', attempt.address), rule: { kind: 'lock', limit: signInLimits.perAddress }, actor: '(any user)', reason: 'address' };
    const account: ThrottleKey = {
      key: accountKey,
      rule: { kind: 'delay', free: signInLimits.perAccountFree, maxDelayMs: signInLimits.perAccountMaxDelayMs },
      actor,
      reason: 'account',
    };
    return { accountKey, keys: [pair, address, account], own: [pair.key] };
  };

  return {
    /**
     * Reserves one password check for this attempt, or refuses it. Await it before the check: the
     * reservation is what keeps concurrent attempts (on every instance) within limits.
     */
    async begin(attempt: SignInAttempt): Promise<SignInReservation> {
      const { accountKey, keys, own } = await keysFor(attempt);
      return { ...(await store.reserve(keys, attempt.address)), accountKey, own, device: attempt.device };
    },
    /**
     * The right password: refund the check, reset this person's own counters, and remember this
     * browser. Returns the device token to (re)set in the browser.
     */
    async succeeded(reservation: SignInReservation & { ok: true }): Promise<string> {
      await store.succeeded(reservation.attempt, reservation.own);
      return store.rememberDevice(reservation.accountKey, reservation.device, signInLimits.deviceLifetimeMs);
    },
    /**
     * Writes one audit row per throttled key and lock, with how many attempts it refused, once
     * the lock has ended (or all of them, at shutdown). Refusals never write a row each.
     */
    async auditRefusals(everything = false) {
      for (const refusal of await store.takeRefusals(everything)) {
        await deps.audit.note('sign_in', { actor: refusal.actor, role: null }, 'throttled', {
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
