import type { LinkdeskEvent } from '../contract/bff/events.ts';

/**
 * Tells every open dashboard that shared state changed (a cooldown started, a deletion finished),
 * over server-sent events (contract/bff/events.ts).
 */
export function createEventBus() {
  const listeners = new Set<(event: LinkdeskEvent) => void>();
  return {
    publish(event: LinkdeskEvent) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener: (event: LinkdeskEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
