import { sql } from 'kysely';
import { greatest, locks, serialized, type Db } from './database.ts';

export type UpstreamPriority = 'interactive' | 'background';

/** The row of `rate_limits` holding Belvo's "come back later" for background work. */
const backgroundPause = 'belvo_background';

/**
 * The shared window of requests sent to Belvo, for instances that share one budget
 * (belvo/rate-limiter.ts, `createSharedRateLimiter`). A reservation reads the window and writes
 * the request in one serialized section, so instances asking at once never both take the last
 * slot. Rows older than the window are removed as reservations pass.
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
      return serialized(db, locks.upstreamWindow, async (trx) => {
        await trx.deleteFrom('upstream_requests').where('at', '<=', now - windowMs).execute();
        // The newest `capacity` sends and the background pause, in one round trip.
        const recent = await sql<{ at: number | null; paused: number | null; used: number }>`
          SELECT r.at, p.blocked_until AS paused, (SELECT count(*) FROM upstream_requests) AS used
          FROM (SELECT 1 AS one) AS base
          LEFT JOIN (SELECT at FROM upstream_requests ORDER BY at DESC LIMIT ${capacity}) AS r ON true
          LEFT JOIN (SELECT blocked_until FROM rate_limits WHERE name = ${backgroundPause}) AS p ON true
          ORDER BY r.at ASC`.execute(trx);
        const first = recent.rows[0];
        const used = Number(first?.used ?? 0);
        const paused = first?.paused ?? 0;
        let retryAt = now;
        if (priority === 'background' && paused > now) retryAt = paused;
        const sends = recent.rows.filter((row) => row.at !== null).length;
        if (sends >= capacity) retryAt = Math.max(retryAt, (first?.at ?? now) + windowMs);
        if (retryAt > now) return { ok: false, retryAt, used };
        const { id } = await trx.insertInto('upstream_requests').values({ at: now, priority }).returning('id').executeTakeFirstOrThrow();
        return { ok: true, id: Number(id), used: used + 1 };
      });
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
