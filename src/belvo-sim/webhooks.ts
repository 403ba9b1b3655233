import { randomBytes } from 'node:crypto';
import type { Clock } from '../contract/clock.ts';
import type { Scheduler } from './scheduler.ts';

export interface WebhookTarget {
  url: string;
  /** The whole Authorization header Belvo sends, as configured in its dashboard (`Bearer …` or `Basic …`). */
  authorization?: string | null;
}

export interface WebhookEnvelope {
  webhook_id: string;
  webhook_type: string;
  webhook_code: string;
  process_type?: string;
  link_id: string;
  request_id: string;
  external_id: string | null;
  data: Record<string, unknown>;
}

export interface WebhookDelivery {
  payload: WebhookEnvelope;
  attempts: number;
  state: 'pending' | 'delivered' | 'failed' | 'undeliverable';
  lastStatus: number | null;
  lastError: string | null;
}

/** Belvo repeats a failed notification five times with a linear backoff (belvo-api.md §5.3). */
export const webhookRetries = 5;
export const webhookBackoffMs = 30_000;

export function newWebhookId(): string {
  return randomBytes(16).toString('hex');
}

export function createWebhookSender(deps: {
  clock: Clock;
  scheduler: Scheduler;
  fetch: typeof fetch;
  target: () => WebhookTarget | null;
}) {
  const deliveries: WebhookDelivery[] = [];
  const inFlight = new Set<Promise<void>>();

  const attempt = (delivery: WebhookDelivery) => {
    const target = deps.target();
    if (!target) {
      delivery.state = 'undeliverable';
      delivery.lastError = 'no webhook URL is configured';
      return;
    }
    delivery.attempts += 1;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Belvo-Webhooks/1.0' };
    if (target.authorization) headers.authorization = target.authorization;
    const sending = deps
      .fetch(target.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(delivery.payload),
        signal: AbortSignal.timeout(10_000),
      })
      .then(
        async (response) => {
          delivery.lastStatus = response.status;
          await response.body?.cancel();
          return response.ok;
        },
        (error: unknown) => {
          delivery.lastError = error instanceof Error ? error.message : String(error);
          return false;
        },
      )
      .then((delivered) => {
        if (delivered) {
          delivery.state = 'delivered';
          delivery.lastError = null;
        } else if (delivery.attempts > webhookRetries) {
          delivery.state = 'failed';
        } else {
          deps.scheduler.at(deps.clock.now() + delivery.attempts * webhookBackoffMs, () => attempt(delivery));
        }
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  return {
    deliveries,
    send(payload: WebhookEnvelope) {
      const delivery: WebhookDelivery = { payload, attempts: 0, state: 'pending', lastStatus: null, lastError: null };
      deliveries.push(delivery);
      if (deliveries.length > 5_000) deliveries.splice(0, deliveries.length - 5_000);
      attempt(delivery);
    },
    /** Resolves once every delivery started so far has been answered. */
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
export type WebhookSender = ReturnType<typeof createWebhookSender>;
