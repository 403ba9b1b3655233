import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.ts';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { AuditLog } from '../store/audit.ts';
import type { OperationsStore, StoredWebhook } from '../store/operations.ts';

/** Belvo's webhook envelope (belvo-api.md §5.1). `process_type`, `request_id`, `external_id` are newer and optional. */
const envelopeSchema = z.looseObject({
  webhook_id: z.string().check(z.minLength(1)),
  webhook_type: z.string().check(z.minLength(1)),
  webhook_code: z.string().check(z.minLength(1)),
  link_id: z.string().check(z.minLength(1)),
  request_id: z.optional(z.nullable(z.string())),
  external_id: z.optional(z.nullable(z.string())),
  process_type: z.optional(z.nullable(z.string())),
  data: z.optional(z.unknown()),
});

const knownCodes = new Set([
  'link_deleted',
  'historical_update',
  'invalid_credentials',
  'token_required',
  'new_accounts_available',
  'new_transactions_available',
  'transactions_updated',
  'transactions_deleted',
]);

function sameHeader(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /webhooks/belvo`: Belvo's notifications, authenticated by the Authorization header
 * configured in Belvo's dashboard (Bearer or Basic). Every delivery is kept — duplicates
 * (Belvo retries five times) are recognised by webhook_id and not applied twice; unknown codes
 * and malformed bodies are kept for inspection and answered clearly.
 */
export function webhookRoutes(deps: { authorization: string | null; operations: OperationsStore; events: EventBus; clock: Clock; audit: AuditLog }) {
  const routes = new Hono<AppEnv>({ strict: true });
  const { operations, events, clock } = deps;

  routes.post(
    '/belvo',
    bodyLimit({
      maxSize: 256 * 1024,
      onError: (c) => errorResponse(c as Context, 413, [{ code: 'payload_too_large', message: 'A webhook is at most 256 KiB.' }]),
    }),
    async (c) => {
      if (!deps.authorization) {
        return errorResponse(c, 503, [
          { code: 'webhooks_disabled', message: 'Linkdesk has no LINKDESK_WEBHOOK_AUTHORIZATION configured, so it accepts no webhooks.' },
        ]);
      }
      if (!sameHeader(c.req.header('authorization') ?? '', deps.authorization)) {
        return errorResponse(c, 401, [{ code: 'authentication_failed', message: 'The webhook Authorization header does not match the one configured.' }]);
      }
      const text = await c.req.text();
      const keep = (webhook: Partial<StoredWebhook> & Pick<StoredWebhook, 'outcome'>) =>
        operations.addWebhook({
          webhook_id: null,
          webhook_type: null,
          webhook_code: null,
          link_id: null,
          request_id: null,
          problem: null,
          received_at: clock.now(),
          payload: text.slice(0, 256 * 1024),
          ...webhook,
        });

      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        keep({ outcome: 'malformed', problem: 'not JSON' });
        return errorResponse(c, 400, [{ code: 'malformed_webhook', message: 'The body is not JSON. It was kept for inspection.' }]);
      }
      const parsed = envelopeSchema.safeParse(json);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'body')))].join(', ');
        keep({ outcome: 'malformed', problem: `missing or invalid: ${fields}` });
        return errorResponse(c, 400, [
          { code: 'malformed_webhook', message: `Not a Belvo webhook envelope (missing or invalid: ${fields}). It was kept for inspection.` },
        ]);
      }
      const webhook = parsed.data;
      if (operations.hasWebhook(webhook.webhook_id)) {
        return c.json({ status: 'duplicate', webhook_id: webhook.webhook_id }, 200);
      }

      let outcome: StoredWebhook['outcome'] = knownCodes.has(webhook.webhook_code) ? 'processed' : 'unknown';
      const requestId = webhook.request_id ?? null;
      const apply = () => {
        if (webhook.webhook_code === 'link_deleted') {
          const operation = (requestId ? operations.operation(requestId) : null) ?? operations.pendingDelete(webhook.link_id);
          if (operation && operation.kind === 'delete' && operation.state === 'pending') {
            operations.completeOperation(operation.request_id, 'done', { webhook_id: webhook.webhook_id });
            deps.audit.note('link.delete', { actor: 'belvo (webhook)', role: null }, 'confirmed', {
              link_id: webhook.link_id,
              external_id: operation.external_id,
              belvo_request_id: operation.request_id,
              detail: { webhook_id: webhook.webhook_id },
            });
          } else outcome = 'unmatched';
          events.publish({ type: 'link-deleted', link_id: webhook.link_id });
        } else if (webhook.webhook_code === 'historical_update') {
          const operation = requestId ? operations.operation(requestId) : null;
          if (operation && operation.kind === 'refresh') {
            const done = { ...(operation.detail?.resources_done as Record<string, number> | undefined), [webhook.webhook_type]: clock.now() };
            const requested = operation.resources;
            const complete = requested === null || requested.every((resource) => resource in done);
            if (operation.state === 'pending' && complete) operations.completeOperation(operation.request_id, 'done', { resources_done: done });
            else operations.updateOperationDetail(operation.request_id, { resources_done: done });
          } else outcome = 'unmatched';
          events.publish({ type: 'link-changed', link_id: webhook.link_id });
        } else if (webhook.webhook_type === 'LINK' && (webhook.webhook_code === 'invalid_credentials' || webhook.webhook_code === 'token_required')) {
          // A recurrent update failed (belvo-api.md §5.2): the link is now invalid or needs a token.
          events.publish({ type: 'link-changed', link_id: webhook.link_id, status: webhook.webhook_code === 'invalid_credentials' ? 'invalid' : 'token_required' });
        }
      };
      apply();
      keep({
        webhook_id: webhook.webhook_id,
        webhook_type: webhook.webhook_type,
        webhook_code: webhook.webhook_code,
        link_id: webhook.link_id,
        request_id: requestId,
        outcome,
      });
      events.publish({ type: 'operations-changed', link_id: webhook.link_id });
      return c.json({ status: outcome, webhook_id: webhook.webhook_id }, outcome === 'unknown' ? 202 : 200);
    },
  );
  return routes;
}
