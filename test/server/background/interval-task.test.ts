import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/contract/clock.ts';
import { startIntervalTask, type IntervalTask } from '../../../src/server/background/interval-task.ts';

const minute = 60_000;
let task: IntervalTask | undefined;
afterEach(async () => {
  await task?.stop();
  task = undefined;
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const failOnError = (error: unknown) => {
  throw error;
};

describe('an interval task', () => {
  it('runs once per interval of the injected clock, not of wall time', async () => {
    const clock = createManualClock();
    const runs: number[] = [];
    task = startIntervalTask({ name: 'count', everyMs: minute, clock, run: () => void runs.push(clock.now()), onError: failOnError });
    clock.advance(minute - 1);
    await settle();
    expect(runs).toHaveLength(0);
    clock.advance(1);
    await settle();
    clock.advance(minute);
    await settle();
    expect(runs).toEqual([createManualClock().now() + minute, createManualClock().now() + 2 * minute]);
  });

  it('runs at start when asked', async () => {
    const clock = createManualClock();
    let runs = 0;
    task = startIntervalTask({ name: 'start', everyMs: minute, clock, runAtStart: true, run: () => void (runs += 1), onError: failOnError });
    await settle();
    expect(runs).toBe(1);
  });

  it('never starts a run while the previous one is still going', async () => {
    const clock = createManualClock();
    let active = 0;
    let most = 0;
    let started = 0;
    let finish: () => void = () => {};
    task = startIntervalTask({
      name: 'slow',
      everyMs: minute,
      clock,
      run: () => {
        started += 1;
        active += 1;
        most = Math.max(most, active);
        return new Promise<void>((resolve) => {
          finish = () => {
            active -= 1;
            resolve();
          };
        });
      },
      onError: failOnError,
    });
    clock.advance(minute);
    clock.advance(minute);
    clock.advance(minute);
    await settle();
    expect(started).toBe(1);
    finish();
    await settle();
    // The next run is one interval after the slow one ended, not a burst of the missed ones.
    expect(started).toBe(1);
    clock.advance(minute);
    await settle();
    expect(started).toBe(2);
    expect(most).toBe(1);
    finish();
  });

  it('reports a failed run and keeps to its schedule', async () => {
    const clock = createManualClock();
    const errors: string[] = [];
    let runs = 0;
    task = startIntervalTask({
      name: 'flaky',
      everyMs: minute,
      clock,
      run: () => {
        runs += 1;
        if (runs === 1) throw new Error('Belvo is down');
      },
      onError: (error, name) => errors.push(`${name}: ${(error as Error).message}`),
    });
    clock.advance(minute);
    await settle();
    clock.advance(minute);
    await settle();
    expect(errors).toEqual(['flaky: Belvo is down']);
    expect(runs).toBe(2);
  });

  it('stops: waits for the run in progress and starts no other', async () => {
    const clock = createManualClock();
    let runs = 0;
    let finished = false;
    let finish: () => void = () => {};
    const running = startIntervalTask({
      name: 'stop',
      everyMs: minute,
      clock,
      run: () => {
        runs += 1;
        return new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        });
      },
      onError: failOnError,
    });
    clock.advance(minute);
    await settle();
    const stopped = running.stop();
    finish();
    await stopped;
    expect(finished).toBe(true);
    clock.advance(10 * minute);
    await settle();
    expect(runs).toBe(1);
  });
});
