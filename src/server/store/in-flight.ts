import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface FlightRow {
  flight: string;
  started_at: number;
  finished_at: number | null;
  outcome: string | null;
}

/**
 * Actions being sent to Belvo, shared by every instance on the database, so that identical requests
 * reaching different instances are sent once (services/in-flight.ts). A row is claimed before
 * sending and carries the outcome once Belvo answered, for the instances waiting on it.
 */
export function createFlightStore(db: Db, options: { owner?: string } = {}) {
  const owner = options.owner ?? null;
  // Keys name the request, and an MFA resume's names its one-time code: only their hash is kept.
  const hashed = (key: string) => createHash('sha256').update(key).digest('hex');
  const look = async (key: string): Promise<FlightRow | null> =>
    (await db.selectFrom('in_flight').select(['flight', 'started_at', 'finished_at', 'outcome']).where('key', '=', hashed(key)).executeTakeFirst()) ?? null;
  return {
    look,
    /**
     * Claims `key` for `flight` when nobody holds it, its last flight finished, or its holder is
     * gone: its owner's connection (the application_name of its event listener) is no longer in
     * pg_stat_activity, or, for a holder without one, it started before `staleBefore`. Answers the
     * row as it stands afterwards.
     */
    async claim(key: string, flight: string, now: number, staleBefore: number): Promise<FlightRow> {
      const won = await db
        .insertInto('in_flight')
        .values({ key: hashed(key), flight, owner, started_at: now, finished_at: null, outcome: null })
        .onConflict((conflict) =>
          conflict
            .column('key')
            .doUpdateSet({ flight, owner, started_at: now, finished_at: null, outcome: null })
            .where((eb) =>
              eb.or([
                eb('in_flight.finished_at', 'is not', null),
                eb('in_flight.started_at', '<', staleBefore),
                eb.and([
                  eb('in_flight.owner', 'is not', null),
                  sql<boolean>`NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = in_flight.owner)`,
                ]),
              ]),
            ),
        )
        .returning(['flight', 'started_at', 'finished_at', 'outcome'])
        .executeTakeFirst();
      // Gone between the two statements (pruned): free again, and the caller asks once more.
      return won ?? (await look(key)) ?? { flight: '', started_at: now, finished_at: null, outcome: null };
    },
    async finish(key: string, flight: string, outcome: string, now: number): Promise<void> {
      await db.updateTable('in_flight').set({ finished_at: now, outcome }).where('key', '=', hashed(key)).where('flight', '=', flight).execute();
    },
    /** Finished flights kept for the instances that were waiting on them; gone after `before`. */
    async prune(before: number): Promise<void> {
      await db.deleteFrom('in_flight').where('finished_at', '<', before).execute();
    },
  };
}
export type FlightStore = ReturnType<typeof createFlightStore>;
