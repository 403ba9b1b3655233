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
 * Runs bulk jobs in the background, one item at a time, oldest job first. The pace is not set
 * here: each item is one request at background priority through the shared rate limiter, which
 * waits for a slot and leaves the interactive reserve to people. The runner sleeps when there is
 * nothing to do and wakes on `job-changed` (a job created or resumed) or when a wait ends.
 */
export function createJobRunner(deps: { bulkJobs: BulkJobs; events: EventBus; clock: Clock; logger: Logger }): JobRunner {
  const { bulkJobs, clock, logger } = deps;
  let started = false;
  let stopped = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];
  let errorBackoffMs = 1_000;

  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type === 'job-changed') wake?.();
  });

  /** Sleeps until `until` on the clock (or forever when null), or until woken or stopped. */
  const sleep = (until: number | null) =>
    new Promise<void>((resolve) => {
      wake = () => {
        wake = null;
        resolve();
      };
      if (until !== null) void sleepUntil(clock, until).then(() => wake?.());
    });

  async function run() {
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
      if (next.kind === 'idle') {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      if (stopped) break;
      await sleep(next.kind === 'wait' ? next.until : null);
    }
  }

  return {
    start() {
      if (started) return;
      started = true;
      loop = run();
    },
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
    },
    idle() {
      if (!started || stopped) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake?.();
      });
    },
  };
}
