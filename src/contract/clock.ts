/**
 * Time as both the proxy and the simulator see it. Cooldowns, rate windows and MFA expiry read
 * `now()`; tests use a manual clock and `advance()` instead of waiting.
 */
export interface Clock {
  now(): number;
  /** Called after the clock jumps, so schedulers can run what became due. */
  onAdvance(listener: () => void): () => void;
}

export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** Wall-clock time plus an offset that can only move forward (the simulator's "move the clock"). */
export interface OffsetClock extends Clock {
  advance(ms: number): void;
  offsetMs(): number;
}

export function createSystemClock(): OffsetClock {
  let offset = 0;
  const listeners = new Set<() => void>();
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += Math.max(0, ms);
      for (const listener of listeners) listener();
    },
    offsetMs: () => offset,
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function createManualClock(start: number | string | Date = '2026-11-25T12:00:00Z'): ManualClock {
  let current = new Date(start).getTime();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  return {
    now: () => current,
    advance(ms) {
      current += Math.max(0, ms);
      notify();
    },
    set(epochMs) {
      current = Math.max(current, epochMs);
      notify();
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
