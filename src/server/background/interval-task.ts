/**
 * Background work: what Linkdesk does on its own, not because a request arrived. Schedulers and
 * leases live in this folder, and the work they run calls services (services/), never routes — an
 * account-wide link index sync, bulk jobs, and reconciling pending operations at start belong here.
 * Everything takes the injected clock, so tests move time instead of waiting, and everything
 * started here has a stop that the composition root calls on close.
 */
import type { Clock } from '../../contract/clock.ts';

export interface IntervalTaskOptions {
  /** For logs and errors. */
  name: string;
  everyMs: number;
  clock: Clock;
  run: () => Promise<void> | void;
  /** A failed run is reported here and the next one still happens on schedule. */
  onError: (error: unknown, name: string) => void;
  /** Run once as soon as the task starts, instead of after the first interval. */
  runAtStart?: boolean;
}

export interface IntervalTask {
  /** Stops scheduling; resolves when a run in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `everyMs` of the clock's time. Runs never overlap: when a run outlasts the
 * interval, the next starts one interval after it ended, not as a burst of missed ones. The clock
 * is checked on a real timer and whenever it is moved (`clock.onAdvance`), so a manual clock in a
 * test triggers runs on `advance()`.
 */
export function startIntervalTask(options: IntervalTaskOptions): IntervalTask {
  const { clock, everyMs } = options;
  let nextAt = options.runAtStart ? clock.now() : clock.now() + everyMs;
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    clearTimeout(timer);
    if (stopped || running) return;
    timer = setTimeout(check, Math.max(0, nextAt - clock.now()));
    // A pending run must never keep the process alive on its own.
    timer.unref?.();
  };

  function check() {
    if (stopped || running || clock.now() < nextAt) return schedule();
    running = (async () => {
      try {
        await options.run();
      } catch (error) {
        options.onError(error, options.name);
      }
    })().finally(() => {
      running = null;
      nextAt = clock.now() + everyMs;
      schedule();
    });
  }

  const unsubscribe = clock.onAdvance(check);
  if (options.runAtStart) check();
  else schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      await running;
    },
  };
}
