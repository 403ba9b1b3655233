import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LinkdeskEvent } from '../../contract/bff/events.ts';
import { linkActivitySchema, operationsStateSchema, webhookListSchema } from '../../contract/bff/operations.ts';
import { uuidPattern } from '../../contract/links.ts';
import type { Clock } from '../../contract/clock.ts';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import { linkIdError } from '../http/query.ts';
import type { EventBus } from '../events.ts';
import type { OperationsStore } from '../store/operations.ts';

function parsePayload(payload: string): unknown {
  try {
    return (JSON.parse(payload) as { data?: unknown }).data ?? null;
  } catch {
    return null;
  }
}

/** What every dashboard shares: cooldowns, the sync-delete budget, pending work; and a live feed. */
export function operationsRoutes(deps: { operations: OperationsStore; events: EventBus; clock: Clock; heartbeatMs?: number }) {
  const routes = new Hono<AppEnv>({ strict: true });
  const { operations, events, clock } = deps;

  routes.get('/operations', async (c) => {
    await operations.prune();
    return jsonAnswer(
      c,
      operationsStateSchema,
      {
        server_time: clock.now(),
        cooldowns: await operations.activeCooldowns(),
        sync_delete_budget: await operations.budget(),
        pending: await operations.pendingOperations(),
        recently_completed: await operations.recentlyCompleted(5 * 60_000),
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  routes.get('/links/:id/activity', async (c) => {
    const id = c.req.param('id').toLowerCase();
    if (!uuidPattern.test(id)) return errorResponse(c, 400, [linkIdError(id)]);
    const cooldown = await operations.cooldown(id);
    return jsonAnswer(
      c,
      linkActivitySchema,
      {
        link_id: id,
        cooldown: cooldown ? { ends_at: cooldown.ends_at, source: cooldown.source } : null,
        operations: await operations.linkOperations(id),
        webhooks: (await operations.linkWebhooks(id)).map((webhook) => ({
          webhook_id: webhook.webhook_id,
          received_at: webhook.received_at,
          webhook_type: webhook.webhook_type,
          webhook_code: webhook.webhook_code,
          request_id: webhook.request_id,
          outcome: webhook.outcome,
          data: parsePayload(webhook.payload),
        })),
        server_time: clock.now(),
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  // Every webhook delivery kept, newest first, with what Linkdesk made of it (malformed ones too).
  routes.get('/webhooks', async (c) =>
    jsonAnswer(
      c,
      webhookListSchema,
      {
        webhooks: (await operations.recentWebhooks(200)).map((webhook) => ({
          id: webhook.id,
          webhook_id: webhook.webhook_id,
          received_at: webhook.received_at,
          webhook_type: webhook.webhook_type,
          webhook_code: webhook.webhook_code,
          link_id: webhook.link_id,
          request_id: webhook.request_id,
          outcome: webhook.outcome,
          problem: webhook.problem,
          payload: webhook.payload.slice(0, 4_096),
        })),
      },
      200,
      { 'cache-control': 'no-store' },
    ),
  );

  // Server-sent events: a hint that shared state changed; the SPA re-reads what it shows.
  routes.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: LinkdeskEvent[] = [];
      let wake: (() => void) | null = null;
      // Events from every instance: a dashboard connected here hears of a delete made on another.
      const unsubscribe = events.subscribe(
        (event) => {
          queue.push(event);
          wake?.();
        },
        { remote: true },
      );
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ server_time: clock.now() }) });
      const heartbeatMs = deps.heartbeatMs ?? 20_000;
      while (!stream.aborted) {
        const event = queue.shift();
        if (event) {
          await stream.writeSSE({ event: event.type, data: JSON.stringify({ type: event.type, link_id: event.link_id, job_id: event.job_id }) });
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
      unsubscribe();
    }),
  );
  return routes;
}
