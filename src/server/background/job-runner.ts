import type { Clock } from '../../contract/clock.ts';
import { sleepUntil } from '../belvo/rate-limiter.ts';
import type { EventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { BulkJobs } from '../services/bulk-jobs.ts';

export interface JobRunner {
  /** Starts the loop: jobs left `running` by a previous process resume, interrupted items are looked up first. */
  start(): void;
  /** Stops after the item in flight has its answer recorded; resolves then. */
  stop(): Promise<void>;
  /** Resolves when no job has anything left to do now (tests). */
  idle(): Promise<void>;
}

/**
 * Runs bulk jobs in the background, oldest job first, with a few items in flight (`concurrency`,
 * default 4) so Belvo's answer time does not slow a job below the pace. The pace is not set here:
 * each item is one request at background priority through the shared rate limiter, which waits
 * for a slot and leaves the interactive reserve to people. Each worker sleeps when there is nothing
 * to do and wakes on `job-changed` (a job created or resumed, an item answered) or when a wait ends.
 */
export function createJobRunner(deps: { bulkJobs: BulkJobs; events: EventBus; clock: Clock; logger: Logger; concurrency?: number }): JobRunner {
  const { bulkJobs, clock, logger } = deps;
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  let started = false;
  let stopped = false;
  let workers: Promise<void>[] = [];
  const wakers = new Set<() => void>();
  let idleWorkers = 0;
  let idleWaiters: (() => void)[] = [];

  const wakeAll = () => {
    for (const wake of [...wakers]) wake();
  };
  // From every instance: a job created or resumed through another instance wakes this one too.
  const unsubscribe = deps.events.subscribe(
    (event) => {
      if (event.type === 'job-changed') wakeAll();
    },
    { remote: true },
  );

  /** Sleeps until `until` on the clock (or until woken when null), or until woken or stopped. */
  const sleep = (until: number | null) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        wakers.delete(wake);
        resolve();
      };
      wakers.add(wake);
      if (until !== null) void sleepUntil(clock, until).then(wake);
    });

  const settleIdleWaiters = () => {
    if (idleWorkers < concurrency) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  async function work() {
    let errorBackoffMs = 1_000;
    while (!stopped) {
      let next: Awaited<ReturnType<BulkJobs['step']>>;
      try {
        next = await bulkJobs.step();
        errorBackoffMs = 1_000;
      } catch (error) {
        // A bug or a database error: logged, and retried later instead of spinning.
        logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) } }, 'bulk job step failed');
        await sleep(clock.now() + errorBackoffMs);
        errorBackoffMs = Math.min(errorBackoffMs * 2, 60_000);
        continue;
      }
      if (next.kind === 'worked') continue;
      if (stopped) break;
      if (next.kind === 'idle') {
        idleWorkers += 1;
        settleIdleWaiters();
        await sleep(null);
        idleWorkers -= 1;
      } else await sleep(next.kind === 'wait' ? next.until : null);
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      // Items may leave again: this instance (again) runs the background work.
      bulkJobs.proceed();
      workers = Array.from({ length: concurrency }, () => work());
    },
    async stop() {
      stopped = true;
      bulkJobs.halt();
      unsubscribe();
      wakeAll();
      await Promise.all(workers);
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },
    idle() {
      if (!started || stopped) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        // Every worker looks again; the promise resolves once all of them found nothing to run.
        wakeAll();
      });
    },
  };
}
