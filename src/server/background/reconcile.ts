import type { Clock } from '../../contract/clock.ts';
import type { Logger } from '../logger.ts';
import type { ActionReconciliation } from '../services/action-reconciliation.ts';
import { startIntervalTask, type IntervalTask } from './interval-task.ts';

/**
 * At start, records an outcome for every action a killed process left open: first for attempts
 * older than `graceMs`, then, `graceMs` later, for the rest that were open at start (a CLI command
 * in flight in another process finishes well within it). Later ticks do nothing.
 */
export function startReconciliation(deps: { reconciliation: ActionReconciliation; clock: Clock; logger: Logger; graceMs?: number }): IntervalTask {
  const graceMs = deps.graceMs ?? 30_000;
  const startedAt = deps.clock.now();
  let passes = 0;
  return startIntervalTask({
    name: 'reconcile open actions',
    everyMs: graceMs,
    clock: deps.clock,
    runAtStart: true,
    run: async () => {
      if (passes >= 2) return;
      const before = passes === 0 ? startedAt - graceMs : startedAt;
      passes += 1;
      const done = await deps.reconciliation.reconcile(before);
      if (done.length > 0) deps.logger.warn({ reconciled: done.length }, 'recorded outcomes for actions a previous run left open');
    },
    onError: (error, name) => {
      deps.logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) } }, `${name} failed`);
    },
  });
}
