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

/** Which events a listener hears: this instance's own, or also those other instances published. */
export interface SubscribeOptions {
  /**
   * Also events published on other instances (PostgreSQL only). They carry only the hint (type and
   * ids), and the state they announce is already in the shared database: dashboards and the job
   * runner want them; anything that would write or ask Belvo again because of an event must not.
   */
  remote?: boolean;
}

/** How events leave this instance for the others (events-postgres.ts); none with SQLite. */
export interface EventRelay {
  send(hint: LinkdeskHint): void;
}

/** Only the hint crosses to other instances: small, and free of link bodies. */
export function hintOf(event: LinkdeskEvent): LinkdeskHint {
  const hint: LinkdeskHint = { type: event.type };
  if (event.link_id !== undefined) hint.link_id = event.link_id;
  if (event.job_id !== undefined) hint.job_id = event.job_id;
  return hint;
}

/**
 * Tells every open dashboard that shared state changed (a cooldown started, a deletion finished),
 * over server-sent events (contract/bff/events.ts). With a relay, what is published here also
 * reaches the other instances on the database, and `receive` is how their events come in.
 */
export function createEventBus(options: { relay?: EventRelay } = {}) {
  const listeners = new Map<(event: LinkdeskEvent) => void, SubscribeOptions>();
  return {
    publish(event: LinkdeskEvent) {
      for (const listener of [...listeners.keys()]) listener(event);
      options.relay?.send(hintOf(event));
    },
    /** An event another instance published; delivered to the listeners that asked for those. */
    receive(hint: LinkdeskHint) {
      for (const [listener, subscribed] of [...listeners]) if (subscribed.remote) listener(hint);
    },
    subscribe(listener: (event: LinkdeskEvent) => void, subscribe: SubscribeOptions = {}) {
      listeners.set(listener, subscribe);
      return () => listeners.delete(listener);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
