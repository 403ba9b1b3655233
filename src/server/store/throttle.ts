import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import type { Db } from './database.ts';

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
  // Keys are keyed hashes: a username typed at a failed sign-in (perhaps a password in the wrong
  // field) is never kept, and a copy of the database does not tell which names were tried.
  const keyingKey = createHmac('sha256', secret).update('linkdesk sign-in throttle v1').digest();
  const statements = {
    inWindow: db.prepare('SELECT at FROM sign_in_attempts WHERE key = ? AND at > ? ORDER BY at'),
    add: db.prepare('INSERT INTO sign_in_attempts (key, at, attempt) VALUES (?, ?, ?)'),
    refund: db.prepare('DELETE FROM sign_in_attempts WHERE attempt = ?'),
    clearKey: db.prepare('DELETE FROM sign_in_attempts WHERE key = ?'),
    prune: db.prepare('DELETE FROM sign_in_attempts WHERE at <= ?'),
    refuse: db.prepare(
      `INSERT INTO sign_in_refusals (key, actor, address, reason, first_at, last_at, until, count) VALUES (@key, @actor, @address, @reason, @now, @now, @until, 1)
       ON CONFLICT (key) DO UPDATE SET last_at = excluded.last_at, until = MAX(until, excluded.until), count = count + 1`,
    ),
    endedRefusals: db.prepare('SELECT * FROM sign_in_refusals WHERE until <= ? ORDER BY first_at'),
    allRefusals: db.prepare('SELECT * FROM sign_in_refusals ORDER BY first_at'),
    dropRefusal: db.prepare('DELETE FROM sign_in_refusals WHERE key = ?'),
    device: db.prepare('SELECT account_key FROM sign_in_devices WHERE token_hash = ?'),
    addDevice: db.prepare(
      `INSERT INTO sign_in_devices (token_hash, account_key, created_at, last_used_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (token_hash) DO UPDATE SET last_used_at = excluded.last_used_at`,
    ),
    pruneDevices: db.prepare('DELETE FROM sign_in_devices WHERE last_used_at <= ?'),
  };

  /** When this key may start its next check, or null if it may now. */
  const blockedUntil = (key: ThrottleKey, now: number): number | null => {
    const started = (statements.inWindow.all(key.key, now - windowMs) as { at: number }[]).map((row) => row.at);
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
     * Counts a check for every key before the check starts, or refuses. Synchronous and inside one
     * IMMEDIATE transaction: no other request of this process, and no other process, can slip a
     * check in between the count and the reservation.
     */
    reserve: db.transaction((keys: ThrottleKey[], address: string | null): Reservation => {
      const now = clock.now();
      statements.prune.run(now - windowMs);
      let refusal: { retryAt: number; refusedBy: ThrottleKey } | null = null;
      for (const key of keys) {
        const until = blockedUntil(key, now);
        if (until !== null && (refusal === null || until > refusal.retryAt)) refusal = { retryAt: until, refusedBy: key };
      }
      if (refusal) {
        statements.refuse.run({ key: refusal.refusedBy.key, actor: refusal.refusedBy.actor, address, reason: refusal.refusedBy.reason, now, until: refusal.retryAt });
        return { ok: false, ...refusal };
      }
      const attempt = randomUUID();
      for (const key of keys) statements.add.run(key.key, now, attempt);
      return { ok: true, attempt };
    }).immediate,
    /** The right password: the check no longer counts, and these keys (the person's own) start afresh. */
    succeeded: db.transaction((attempt: string, resetKeys: string[]) => {
      statements.refund.run(attempt);
      for (const key of resetKeys) statements.clearKey.run(key);
    }).immediate,
    /** Refusal counts whose lock has ended (all of them with `everything`), removed as they are read. */
    takeRefusals: db.transaction((everything: boolean): Refusal[] => {
      const rows = (everything ? statements.allRefusals.all() : statements.endedRefusals.all(clock.now())) as Refusal[];
      for (const row of rows) statements.dropRefusal.run(row.key);
      return rows;
    }).immediate,
    /** The account key a device token was issued for, if the token is known. */
    deviceAccount(token: string): string | null {
      return (statements.device.get(deviceDigest(token)) as { account_key: string } | undefined)?.account_key ?? null;
    },
    rememberDevice(accountKey: string, existing: string | null, lifetimeMs: number): string {
      const now = clock.now();
      statements.pruneDevices.run(now - lifetimeMs);
      const token = existing ?? randomBytes(32).toString('base64url');
      statements.addDevice.run(deviceDigest(token), accountKey, now, now);
      return token;
    },
  };
}
export type ThrottleStore = ReturnType<typeof createThrottleStore>;
