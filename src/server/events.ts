import type { LinkdeskEvent as LinkdeskHint } from '../contract/bff/events.ts';
import type { Link, LinkStatus } from '../contract/links.ts';

/**
 * What travels on the bus: the SSE hint (type, link_id) plus what the publisher knows, for the link
 * index. Only `type` and `link_id` ever reach a browser (routes/operations.ts).
 */
export interface LinkdeskEvent extends LinkdeskHint {
  /** The link as Belvo just returned it, when the publisher has it. */
  link?: Link;
  /** A status Belvo reported for the link (LINK webhooks, a refresh's 428). */
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
