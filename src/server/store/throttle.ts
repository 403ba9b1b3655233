import { sql } from 'kysely';
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import { greatest, locks, serialized, type Db } from './database.ts';

/**
 * How many password checks one key may start in a sliding window, and what happens past that:
 * `lock` refuses until the oldest counted check leaves the window; `delay` allows one more check
 * each time a growing pause (1 s, 2 s, 4 s … up to `maxDelayMs`) has passed since the last one.
 */
export type ThrottleRule = { kind: 'lock'; limit: number } | { kind: 'delay'; free: number; maxDelayMs: number };

export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
  /** What the audit row says about a refusal by this key (never the typed username). */
  actor: string;
  reason: string;
}

export type Reservation = { ok: true; attempt: string } | { ok: false; retryAt: number; refusedBy: ThrottleKey };

export interface Refusal {
  key: string;
  actor: string;
  address: string | null;
  reason: string;
  first_at: number;
  last_at: number;
  until: number;
  count: number;
}

const deviceDigest = (token: string) => createHash('sha256').update(token).digest('hex');

/** The sliding window every sign-in limit counts in (OWASP ASVS 5.0 V6.3). */
export const signInWindowMs = 15 * 60_000;

/** The throttle's tables: checks started per key, known devices, and refusals waiting to be audited. */
export function createThrottleStore(db: Db, clock: Clock, secret: Buffer) {
  const windowMs = signInWindowMs;
  const max = greatest(db);
  // Keys are keyed hashes: a username typed at a failed sign-in (perhaps a password in the wrong
  // field) is never kept, and a copy of the database does not tell which names were tried.
  const keyingKey = createHmac('sha256', secret).update('linkdesk sign-in throttle v1').digest();

  /** When this key may start its next check, or null if it may now. */
  const blockedUntil = async (trx: Db, key: ThrottleKey, now: number): Promise<number | null> => {
    const started = (await trx.selectFrom('sign_in_attempts').select('at').where('key', '=', key.key).where('at', '>', now - windowMs).orderBy('at').execute()).map(
      (row) => row.at,
    );
    if (key.rule.kind === 'lock') {
      const { limit } = key.rule;
      return started.length >= limit ? (started[started.length - limit] as number) + windowMs : null;
    }
    const excess = started.length - key.rule.free;
    if (excess < 0) return null;
    const delay = Math.min(1000 * 2 ** Math.min(excess, 30), key.rule.maxDelayMs);
    const next = (started[started.length - 1] as number) + delay;
    return next > now ? next : null;
  };

  return {
    /** The stored form of a throttle key: an HMAC of its parts under a key kept outside the database. */
    keyOf: (...parts: string[]) => createHmac('sha256', keyingKey).update(JSON.stringify(parts)).digest('hex').slice(0, 40),
    /**
     * Counts a check for every key before the check starts, or refuses. One serialised
     * transaction (see `serialized`): no other request, process or instance can slip a check in
     * between the count and the reservation.
     */
    reserve(keys: ThrottleKey[], address: string | null): Promise<Reservation> {
      return serialized(db, locks.signIn, async (trx) => {
        const now = clock.now();
        await trx.deleteFrom('sign_in_attempts').where('at', '<=', now - windowMs).execute();
        let refusal: { retryAt: number; refusedBy: ThrottleKey } | null = null;
        for (const key of keys) {
          const until = await blockedUntil(trx, key, now);
          if (until !== null && (refusal === null || until > refusal.retryAt)) refusal = { retryAt: until, refusedBy: key };
        }
        if (refusal) {
          const { refusedBy } = refusal;
          await trx
            .insertInto('sign_in_refusals')
            .values({ key: refusedBy.key, actor: refusedBy.actor, address, reason: refusedBy.reason, first_at: now, last_at: now, until: refusal.retryAt, count: 1 })
            .onConflict((conflict) =>
              conflict.column('key').doUpdateSet({
                last_at: (eb) => eb.ref('excluded.last_at'),
                until: sql<number>`${max}(sign_in_refusals.until, excluded.until)`,
                count: sql<number>`sign_in_refusals.count + 1`,
              }),
            )
            .execute();
          return { ok: false, ...refusal };
        }
        const attempt = randomUUID();
        if (keys.length > 0) await trx.insertInto('sign_in_attempts').values(keys.map((key) => ({ key: key.key, at: now, attempt }))).execute();
        return { ok: true, attempt };
      });
    },
    /** The right password: the check no longer counts, and these keys (the person's own) start afresh. */
    async succeeded(attempt: string, resetKeys: string[]) {
      await serialized(db, locks.signIn, async (trx) => {
        await trx.deleteFrom('sign_in_attempts').where('attempt', '=', attempt).execute();
        if (resetKeys.length > 0) await trx.deleteFrom('sign_in_attempts').where('key', 'in', resetKeys).execute();
      });
    },
    /** Refusal counts whose lock has ended (all of them with `everything`), removed as they are read. */
    takeRefusals(everything: boolean): Promise<Refusal[]> {
      return serialized(db, locks.signIn, async (trx) => {
        let query = trx.selectFrom('sign_in_refusals').selectAll().orderBy('first_at');
        if (!everything) query = query.where('until', '<=', clock.now());
        const rows = await query.execute();
        if (rows.length > 0) await trx.deleteFrom('sign_in_refusals').where('key', 'in', rows.map((row) => row.key)).execute();
        return rows;
      });
    },
    /** The account key a device token was issued for, if the token is known. */
    async deviceAccount(token: string): Promise<string | null> {
      const row = await db.selectFrom('sign_in_devices').select('account_key').where('token_hash', '=', deviceDigest(token)).executeTakeFirst();
      return row?.account_key ?? null;
    },
    async rememberDevice(accountKey: string, existing: string | null, lifetimeMs: number): Promise<string> {
      const now = clock.now();
      await db.deleteFrom('sign_in_devices').where('last_used_at', '<=', now - lifetimeMs).execute();
      const token = existing ?? randomBytes(32).toString('base64url');
      await db
        .insertInto('sign_in_devices')
        .values({ token_hash: deviceDigest(token), account_key: accountKey, created_at: now, last_used_at: now })
        .onConflict((conflict) => conflict.column('token_hash').doUpdateSet({ last_used_at: (eb) => eb.ref('excluded.last_used_at') }))
        .execute();
      return token;
    },
  };
}
export type ThrottleStore = ReturnType<typeof createThrottleStore>;
