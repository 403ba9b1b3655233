import type { Clock } from '../../contract/clock.ts';
import type { Db } from './database.ts';

/** OWASP ASVS 5.0 V6.3: throttle by account and by address over a sliding window. */
export const failureWindowMs = 15 * 60_000;

/** Failed sign-ins, keyed `user:<name>` or `ip:<address>`, kept for the window. */
export function createSignInFailureStore(db: Db, clock: Clock) {
  const statements = {
    count: db.prepare('SELECT COUNT(*) AS n, MIN(at) AS oldest FROM sign_in_failures WHERE key = ? AND at > ?'),
    add: db.prepare('INSERT INTO sign_in_failures (key, at) VALUES (?, ?)'),
    clear: db.prepare('DELETE FROM sign_in_failures WHERE key = ?'),
    prune: db.prepare('DELETE FROM sign_in_failures WHERE at <= ?'),
  };
  return {
    /** When this key may try again, if it has failed `max` times within the window. */
    lockedUntil(key: string, max: number): number | null {
      const row = statements.count.get(key, clock.now() - failureWindowMs) as { n: number; oldest: number | null };
      return row.n >= max && row.oldest !== null ? row.oldest + failureWindowMs : null;
    },
    add(key: string) {
      statements.add.run(key, clock.now());
    },
    clear(key: string) {
      statements.clear.run(key);
    },
    prune() {
      statements.prune.run(clock.now() - failureWindowMs);
    },
  };
}
export type SignInFailureStore = ReturnType<typeof createSignInFailureStore>;
