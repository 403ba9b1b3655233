/**
 * Tells every open dashboard that shared state changed (a cooldown started, a deletion finished),
 * over server-sent events. Payloads are hints; the SPA re-reads the state it shows.
 */
export interface LinkdeskEvent {
  type: 'operations-changed' | 'link-deleted' | 'link-changed';
  link_id?: string;
}

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
