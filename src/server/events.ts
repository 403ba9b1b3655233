import type { Link, LinkStatus } from '../contract/links.ts';

/**
 * Tells every open dashboard that shared state changed (a cooldown started, a deletion finished),
 * over server-sent events. Payloads are hints; the SPA re-reads the state it shows.
 */
export interface LinkdeskEvent {
  type: 'operations-changed' | 'link-deleted' | 'link-changed';
  link_id?: string;
  /** The link as Belvo just returned it, when the publisher has it (keeps the link index current; never sent to browsers). */
  link?: Link;
  /** A status Belvo reported for the link (LINK webhooks). */
  status?: LinkStatus;
}

/** The link in a Belvo answer's body (a 200/201 with a link), for `LinkdeskEvent.link`. */
export function linkFromBody(body: string | null): Link | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'id' in parsed ? (parsed as Link) : undefined;
  } catch {
    return undefined;
  }
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
