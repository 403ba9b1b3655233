import { randomUUID } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import type { Outcome } from '../errors.ts';
import type { FlightStore } from '../store/in-flight.ts';

/**
 * Identical requests that arrive while the first is still with Belvo share its answer: a double
 * click, or two tabs, reach Belvo once.
 *
 * With several instances on one database (`flights`), the second request may reach another
 * instance. The first claims the action's key in the database before doing its work and writes
 * the outcome there; an identical request elsewhere finds the claim, waits for that outcome
 * (polling every `pollMs`) and answers with it, shared. A claim whose instance died (its
 * connection left PostgreSQL, see store/in-flight.ts), or without that, went quiet for `staleMs`,
 * is taken over: the waiter asks to claim it again every second.
 */
export function createInFlight(options: { flights?: FlightStore | null; clock?: Clock; pollMs?: number; staleMs?: number } = {}) {
  const flights = new Map<string, Promise<{ outcome: Outcome; shared: boolean }>>();
  const { clock } = options;
  const shared = options.flights && clock ? { store: options.flights, clock } : null;
  const pollMs = options.pollMs ?? 50;
  const staleMs = options.staleMs ?? 120_000;
  let prunedAt = 0;

  /** The flight across instances: ours to run, or another instance's to wait for. */
  async function acrossInstances(store: FlightStore, time: Clock, key: string, work: () => Promise<Outcome>): Promise<{ outcome: Outcome; shared: boolean }> {
    const flight = randomUUID();
    for (;;) {
      const now = time.now();
      const row = await store.claim(key, flight, now, now - staleMs);
      if (row.flight === flight) {
        let outcome: Outcome | undefined;
        try {
          outcome = await work();
          return { outcome, shared: false };
        } finally {
          // A failed piece of work leaves nothing to share: waiters take the key over and do their own.
          await store.finish(key, flight, outcome ? JSON.stringify(outcome) : 'null', time.now());
          // Finished flights are kept a minute for their waiters; cleared at most once a minute.
          if (time.now() - prunedAt >= 60_000) {
            prunedAt = time.now();
            void store.prune(prunedAt - 60_000).catch(() => {});
          }
        }
      }
      if (row.finished_at === null) {
        // Another instance is sending it: wait for its outcome, and every second see whether that
        // instance still lives (claiming again takes the key over when it does not).
        for (const recheckAt = Date.now() + 1_000; Date.now() < recheckAt; ) {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          const current = await store.look(key);
          if (!current || current.flight !== row.flight) break;
          if (current.finished_at !== null) {
            const outcome = current.outcome ? (JSON.parse(current.outcome) as Outcome | null) : null;
            if (outcome) return { outcome, shared: true };
            break;
          }
          if (current.started_at < time.now() - staleMs) break;
        }
      }
      // Finished before we could claim, failed, or gone quiet: claim it again.
    }
  }

  return {
    async run(key: string, work: () => Promise<Outcome>): Promise<{ outcome: Outcome; shared: boolean }> {
      const existing = flights.get(key);
      if (existing) return { outcome: (await existing).outcome, shared: true };
      const flight = (shared ? acrossInstances(shared.store, shared.clock, key, work) : work().then((outcome) => ({ outcome, shared: false }))).finally(() =>
        flights.delete(key),
      );
      flights.set(key, flight);
      return flight;
    },
  };
}
export type InFlight = ReturnType<typeof createInFlight>;
