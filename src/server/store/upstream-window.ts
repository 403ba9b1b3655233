import { sql } from 'kysely';
import { greatest, locks, type Db } from './database.ts';

export type UpstreamPriority = 'interactive' | 'background';

/** The row of `rate_limits` holding Belvo's "come back later" for background work. */
const backgroundPause = 'belvo_background';

/**
 * The shared window of requests sent to Belvo, for instances that share one budget on PostgreSQL
 * (belvo/rate-limiter.ts, `createSharedRateLimiter`; one process on SQLite keeps its window in
 * memory). A reservation is one call of `linkdesk_reserve_upstream` (migration 9): under an
 * advisory lock it removes rows older than the window, counts the rest, reads the background
 * pause and writes the request, so instances asking at once never both take the last slot.
 */
export function createUpstreamWindowStore(db: Db) {
  const max = greatest(db);
  return {
    /**
     * Takes a slot at `now` when fewer than `capacity` requests were sent in the last `windowMs`
     * (and, for background work, Belvo's pause is over); otherwise answers when to ask again.
     */
    async reserve(input: { priority: UpstreamPriority; now: number; windowMs: number; capacity: number }): Promise<{ ok: true; id: number; used: number } | { ok: false; retryAt: number; used: number }> {
      const { priority, now, windowMs, capacity } = input;
      const result = await sql<{ reserved_id: number | null; retry_at: number | null; used: number }>`
        SELECT reserved_id, retry_at, used FROM linkdesk_reserve_upstream(${now}, ${windowMs}, ${capacity}, ${priority}, ${locks.upstreamWindow})`.execute(db);
      const row = result.rows[0];
      if (!row) throw new Error('linkdesk_reserve_upstream answered nothing');
      return row.reserved_id !== null ? { ok: true, id: Number(row.reserved_id), used: row.used } : { ok: false, retryAt: Number(row.retry_at), used: row.used };
    },
    async giveBack(id: number): Promise<void> {
      await db.deleteFrom('upstream_requests').where('id', '=', id).execute();
    },
    /** Belvo asked to slow down: background work on every instance waits until `until`. */
    async pauseBackground(until: number, now: number): Promise<void> {
      await db
        .insertInto('rate_limits')
        .values({ name: backgroundPause, blocked_until: until, updated_at: now })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({
            blocked_until: sql<number>`${max}(rate_limits.blocked_until, excluded.blocked_until)`,
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          }),
        )
        .execute();
    },
  };
}
export type UpstreamWindowStore = ReturnType<typeof createUpstreamWindowStore>;
