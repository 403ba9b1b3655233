import { sql } from 'kysely';
import pg from 'pg';
import { linkdeskEventSchema, type LinkdeskEvent as LinkdeskHint } from '../contract/bff/events.ts';
import type { EventRelay } from './events.ts';
import type { Logger } from './logger.ts';
import type { Db } from './store/database.ts';

/** The NOTIFY channel every instance on the database listens on. */
export const eventChannel = 'linkdesk_events';
/**
 * The listening connection's application_name: it lives exactly as long as the instance, so other
 * instances can tell from pg_stat_activity whether it still runs (store/in-flight.ts).
 */
export const listenerName = (instance: string) => `linkdesk-events ${instance}`.slice(0, 63);

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; hints stay far below. */
const maxPayloadBytes = 7_900;

export interface PostgresFanOut extends EventRelay {
  /** Starts listening; resolves once the first LISTEN is in place (rejects if the database is unreachable). */
  listen(receive: (hint: LinkdeskHint) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * Live updates across instances on one PostgreSQL: what an instance publishes goes out as
 * `NOTIFY linkdesk_events` with a small JSON hint (type, ids, and the sending instance), and a
 * connection of its own LISTENs for the others'. An instance skips its own notifications: its
 * dashboards already had the event, from the local bus, so each dashboard sees each event once.
 *
 * The listening connection is re-opened after a drop (a database restart, a failover, a proxy
 * timing it out), with a growing pause; the log says when it was lost and when it listens again.
 * Notifications sent meanwhile are lost, so on reconnecting the dashboards are told to re-read
 * (`operations-changed`) and the job runner to look for work (`job-changed`). A silently dead TCP
 * connection is found by a `SELECT 1` every `pingMs`.
 */
export function createPostgresFanOut(options: { url: string; db: Db; instance: string; logger: Logger; pingMs?: number }): PostgresFanOut {
  const { db, instance, logger } = options;
  const pingMs = options.pingMs ?? 15_000;
  let receive: (hint: LinkdeskHint) => void = () => {};
  let client: pg.Client | null = null;
  let closing = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let failures = 0;
  let sending: Promise<void> = Promise.resolve();

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== eventChannel || !message.payload) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.payload);
    } catch {
      return;
    }
    if (!parsed || typeof parsed !== 'object' || (parsed as { from?: unknown }).from === instance) return;
    const hint = linkdeskEventSchema.safeParse(parsed);
    if (hint.success) receive({ type: hint.data.type, ...(hint.data.link_id ? { link_id: hint.data.link_id } : {}), ...(hint.data.job_id ? { job_id: hint.data.job_id } : {}) });
  };

  const dropped = (lost: pg.Client, error?: Error) => {
    if (lost !== client) return;
    client = null;
    clearInterval(pingTimer);
    lost.end().catch(() => {});
    if (closing) return;
    logger.warn({ err: error?.message }, 'live updates from other instances: the listening connection to PostgreSQL was lost; reconnecting');
    scheduleReconnect();
  };

  const scheduleReconnect = () => {
    const delay = Math.min(5_000, 250 * 2 ** Math.min(failures, 5));
    failures += 1;
    retryTimer = setTimeout(() => {
      connect().then(
        () => {
          logger.info({ attempts: failures }, 'live updates from other instances: listening again');
          failures = 0;
          // Whatever was sent while the connection was down is lost: everyone re-reads.
          receive({ type: 'operations-changed' });
          receive({ type: 'job-changed' });
        },
        (error: unknown) => {
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'live updates from other instances: reconnecting failed; trying again');
          if (!closing) scheduleReconnect();
        },
      );
    }, delay);
    retryTimer.unref?.();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: options.url, application_name: listenerName(instance), keepAlive: true });
    next.on('notification', onNotification);
    next.on('error', (error) => dropped(next, error));
    next.on('end', () => dropped(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${eventChannel}`);
    } catch (error) {
      next.removeAllListeners('end');
      next.removeAllListeners('error');
      next.on('error', () => {});
      await next.end().catch(() => {});
      throw error;
    }
    if (closing) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    pingTimer = setInterval(() => {
      const pinged = next;
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer to a ping in 5 s')), 5_000).unref());
      Promise.race([pinged.query('SELECT 1'), timeout]).catch((error: unknown) => dropped(pinged, error instanceof Error ? error : new Error(String(error))));
    }, pingMs);
    pingTimer.unref?.();
  };

  return {
    send(hint) {
      let payload = JSON.stringify({ from: instance, ...hint });
      if (Buffer.byteLength(payload) > maxPayloadBytes) payload = JSON.stringify({ from: instance, type: hint.type });
      // One after another, so other instances see this instance's events in the order published.
      sending = sending
        .then(async () => {
          await sql`SELECT pg_notify(${eventChannel}, ${payload})`.execute(db);
        })
        .catch((error: unknown) => {
          logger.warn({ err: error instanceof Error ? error.message : String(error), event: hint.type }, 'could not send a live update to the other instances');
        });
    },
    async listen(onHint) {
      receive = onHint;
      await connect();
    },
    async close() {
      closing = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      await sending;
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
