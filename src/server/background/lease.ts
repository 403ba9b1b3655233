import type { Clock } from '../../contract/clock.ts';
import { sleepUntil } from '../belvo/rate-limiter.ts';
import type { Logger } from '../logger.ts';
import type { LeaseStore } from '../store/leases.ts';

/** Work that runs only while this instance holds the lease: started on taking it, stopped on losing it. */
export interface LeasedWork {
  start(): void;
  /** Stops at a safe point (a sync after its page, a job after its items in flight); resolves then. */
  stop(): Promise<void>;
}

export interface LeaseHolder {
  /** Whether this instance holds the lease now (as of its last renewal). */
  holding(): boolean;
  /** Stops the work, then gives the lease up so another instance takes over at once. */
  stop(): Promise<void>;
}

export interface LeaseOptions {
  leases: LeaseStore;
  name: string;
  /** This instance's id, as written in the lease's `holder`. */
  holder: string;
  clock: Clock;
  logger: Logger;
  /** A fresh run of the work for each term of holding the lease. */
  work: () => LeasedWork;
  /** How long a taken or renewed lease lasts; another instance takes over this long after the holder died. */
  ttlMs?: number;
  renewMs?: number;
}

/**
 * Keeps trying to hold the lease `name` and runs the work while it does. The holder renews every
 * `renewMs` (10 s) for `ttlMs` (25 s); the others ask again when it would expire, so when the
 * holder dies (kill -9, a machine lost) one of them takes over within `ttlMs` and a moment. A
 * holder that cannot renew (the database unreachable) stops its work `ttlMs - 2 × renewMs` before
 * its lease runs out, so two instances never run the work at once as far as their clocks agree.
 */
export function holdLease(options: LeaseOptions): LeaseHolder {
  const { leases, name, holder, clock, logger } = options;
  const ttlMs = options.ttlMs ?? 25_000;
  const renewMs = options.renewMs ?? 10_000;
  const marginMs = Math.max(0, ttlMs - 2 * renewMs);
  let heldUntil = 0;
  let running: LeasedWork | null = null;
  let stopped = false;
  let wake: (() => void) | null = null;

  const stopWork = async () => {
    const work = running;
    running = null;
    if (work) await work.stop();
  };

  const loop = (async () => {
    while (!stopped) {
      const now = clock.now();
      let next = now + renewMs;
      try {
        const lease = await leases.acquire(name, holder, now, now + ttlMs);
        if (lease.holder === holder) {
          heldUntil = lease.expires_at;
          if (!running && !stopped) {
            logger.info({ lease: name, holder }, 'holding the background lease: this instance runs the background work');
            running = options.work();
            running.start();
          }
        } else {
          heldUntil = 0;
          if (running) {
            logger.warn({ lease: name, holder: lease.holder }, 'another instance holds the background lease; stopping background work here');
            await stopWork();
          }
          // Ask again just after it would expire, unless its holder renews first.
          next = Math.max(now + 50, Math.min(next, lease.expires_at + 50));
        }
      } catch (error) {
        logger.error({ lease: name, err: error instanceof Error ? error.message : String(error) }, 'could not take or renew the background lease');
        if (running && clock.now() >= heldUntil - marginMs) {
          logger.warn({ lease: name }, 'background lease about to run out without renewal; stopping background work here');
          await stopWork();
        }
        next = now + Math.min(renewMs, 2_000);
      }
      if (stopped) break;
      await Promise.race([sleepUntil(clock, next), new Promise<void>((resolve) => (wake = resolve))]);
      wake = null;
    }
  })();

  return {
    holding: () => running !== null && clock.now() < heldUntil,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      const held = running !== null;
      await stopWork();
      if (held) {
        await leases.release(name, holder).catch((error: unknown) => {
          logger.warn({ lease: name, err: error instanceof Error ? error.message : String(error) }, 'could not give the background lease up; it expires on its own');
        });
      }
    },
  };
}
