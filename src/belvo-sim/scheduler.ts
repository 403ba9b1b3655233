import type { Clock } from '../contract/clock.ts';

/**
 * Work that Belvo does "later" (async deletes, historical updates, webhook retries), due at a
 * time on the simulator's clock. Moving the clock forward runs whatever became due, so tests
 * never wait; with the wall clock a ticker runs it.
 */
export interface Scheduler {
  at(dueAt: number, run: () => void | Promise<void>): void;
  runDue(): void;
  pendingCount(): number;
  clear(): void;
  startTicker(intervalMs?: number): void;
  stop(): void;
}

export function createScheduler(clock: Clock): Scheduler {
  let tasks: { dueAt: number; run: () => void | Promise<void>; seq: number }[] = [];
  let seq = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const runDue = () => {
    const now = clock.now();
    // Tasks scheduled while running (a retry, a follow-up) wait for the next pass.
    const due = tasks.filter((task) => task.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
    if (due.length === 0) return;
    tasks = tasks.filter((task) => task.dueAt > now);
    for (const task of due) void task.run();
  };
  const unsubscribe = clock.onAdvance(runDue);

  return {
    at(dueAt, run) {
      tasks.push({ dueAt, run, seq: seq++ });
    },
    runDue,
    pendingCount: () => tasks.length,
    clear() {
      tasks = [];
    },
    startTicker(intervalMs = 200) {
      if (ticker) return;
      ticker = setInterval(runDue, intervalMs);
      ticker.unref();
    },
    stop() {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      unsubscribe();
    },
  };
}
