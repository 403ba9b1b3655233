import { useCallback, useSyncExternalStore } from 'react';

/**
 * One shared ticking clock for relative times and countdowns: every subscriber re-renders on the
 * same tick, and the timer stops when nobody listens.
 */
const listeners = new Map<number, Set<() => void>>();
const timers = new Map<number, ReturnType<typeof setInterval>>();
const snapshots = new Map<number, number>();

function subscribe(intervalMs: number, listener: () => void) {
  let set = listeners.get(intervalMs);
  if (!set) {
    set = new Set();
    listeners.set(intervalMs, set);
    snapshots.set(intervalMs, Date.now());
    timers.set(
      intervalMs,
      setInterval(() => {
        snapshots.set(intervalMs, Date.now());
        for (const notify of listeners.get(intervalMs) ?? []) notify();
      }, intervalMs),
    );
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) {
      clearInterval(timers.get(intervalMs));
      timers.delete(intervalMs);
      listeners.delete(intervalMs);
    }
  };
}

/** Stable between ticks: useSyncExternalStore must see the same value until the store changes. */
function snapshot(intervalMs: number): number {
  let value = snapshots.get(intervalMs);
  if (value === undefined) {
    value = Date.now();
    snapshots.set(intervalMs, value);
  }
  return value;
}

export function useNow(intervalMs = 1000): number {
  const subscribeToInterval = useCallback((listener: () => void) => subscribe(intervalMs, listener), [intervalMs]);
  return useSyncExternalStore(
    subscribeToInterval,
    () => snapshot(intervalMs),
    () => snapshot(intervalMs),
  );
}
