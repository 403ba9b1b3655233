import type { Db } from './database.ts';

export interface LeaseState {
  holder: string;
  expires_at: number;
}

/**
 * Leases: which instance may run a piece of background work, until when unless it renews. Taking
 * and renewing are one statement, so two instances asking at once cannot both win: the row is
 * written only when it is free, expired, or already ours.
 */
export function createLeaseStore(db: Db) {
  return {
    /**
     * Takes or renews `name` for `holder` until `expiresAt`; answers who holds it afterwards (this
     * holder when it won).
     */
    async acquire(name: string, holder: string, now: number, expiresAt: number): Promise<LeaseState> {
      const won = await db
        .insertInto('leases')
        .values({ name, holder, expires_at: expiresAt })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
            .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
        )
        .returning(['holder', 'expires_at'])
        .executeTakeFirst();
      if (won) return won;
      const current = await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
      // Deleted between the two statements (its holder let go): free, and the next attempt takes it.
      return current ?? { holder: '', expires_at: now };
    },
    /** Gives the lease up at once (a clean shutdown), so another instance need not wait for it to expire. */
    async release(name: string, holder: string): Promise<void> {
      await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
    },
    async current(name: string): Promise<LeaseState | null> {
      return (await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst()) ?? null;
    },
  };
}
export type LeaseStore = ReturnType<typeof createLeaseStore>;
