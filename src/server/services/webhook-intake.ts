import * as z from 'zod/mini';
import type { Clock } from '../../contract/clock.ts';
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
  'link_valid',
  'new_accounts_available',
  'new_transactions_available',
  'transactions_updated',
  'transactions_deleted',
]);

/** What became of a delivery: kept as malformed, recognised as a retry, or kept and applied. */
export type WebhookReceipt =
  | { kind: 'malformed'; message: string }
  | { kind: 'duplicate'; webhookId: string }
  | { kind: 'stored'; webhookId: string; outcome: StoredWebhook['outcome'] };

/**
 * Belvo's notifications, once authenticated. Every delivery is kept — duplicates (Belvo retries
 * five times) are recognised by webhook_id and not applied twice; unknown codes and malformed
 * bodies are kept for inspection. A `link_deleted` completes the pending async deletion it
 * answers (and is audited as Belvo's confirmation); a `historical_update` marks a refresh's
 * resources done.
 */
export function createWebhookIntake(deps: { operations: OperationsStore; events: EventBus; clock: Clock; audit: AuditLog }) {
  const { operations, events, clock } = deps;

  return {
    async receive(text: string): Promise<WebhookReceipt> {
      const envelope = (webhook: Partial<StoredWebhook> & Pick<StoredWebhook, 'outcome'>): StoredWebhook => ({
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
      const keep = (webhook: Partial<StoredWebhook> & Pick<StoredWebhook, 'outcome'>) => operations.addWebhook(envelope(webhook));

      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        await keep({ outcome: 'malformed', problem: 'not JSON' });
        return { kind: 'malformed', message: 'The body is not JSON. It was kept for inspection.' };
      }
      const parsed = envelopeSchema.safeParse(json);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'body')))].join(', ');
        await keep({ outcome: 'malformed', problem: `missing or invalid: ${fields}` });
        return { kind: 'malformed', message: `Not a Belvo webhook envelope (missing or invalid: ${fields}). It was kept for inspection.` };
      }
      const webhook = parsed.data;
      let outcome: StoredWebhook['outcome'] = knownCodes.has(webhook.webhook_code) ? 'processed' : 'unknown';
      const requestId = webhook.request_id ?? null;
      // Kept first, under its unique webhook_id: of two deliveries arriving together (Belvo's
      // retries, perhaps at two instances) exactly one is applied.
      const claimed = await operations.claimWebhook({
        ...envelope({ webhook_type: webhook.webhook_type, webhook_code: webhook.webhook_code, link_id: webhook.link_id, request_id: requestId, outcome }),
        webhook_id: webhook.webhook_id,
      });
      if (!claimed) return { kind: 'duplicate', webhookId: webhook.webhook_id };

      const apply = async () => {
        if (webhook.webhook_code === 'link_deleted') {
          const operation = (requestId ? await operations.operation(requestId) : null) ?? (await operations.pendingDelete(webhook.link_id));
          if (operation && operation.kind === 'delete' && operation.state === 'pending') {
            await operations.completeOperation(operation.request_id, 'done', { webhook_id: webhook.webhook_id });
            await deps.audit.note('link.delete', { actor: 'belvo (webhook)', role: null }, 'confirmed', {
              link_id: webhook.link_id,
              external_id: operation.external_id,
              belvo_request_id: operation.request_id,
              detail: { webhook_id: webhook.webhook_id },
            });
          } else outcome = 'unmatched';
          events.publish({ type: 'link-deleted', link_id: webhook.link_id });
        } else if (webhook.webhook_code === 'historical_update') {
          // One resource's webhook at a time per operation: Belvo sends them together.
          const operation = requestId
            ? await operations.changeOperation(requestId, (current) => {
                if (current.kind !== 'refresh') return null;
                const done = { ...(current.detail?.resources_done as Record<string, number> | undefined), [webhook.webhook_type]: clock.now() };
                const requested = current.resources;
                const complete = requested === null || requested.every((resource) => resource in done);
                return { state: current.state === 'pending' && complete ? 'done' : current.state, detail: { resources_done: done } };
              })
            : null;
          if (!operation || operation.kind !== 'refresh') outcome = 'unmatched';
          events.publish({ type: 'link-changed', link_id: webhook.link_id });
        } else if (webhook.webhook_type === 'LINK' && (webhook.webhook_code === 'invalid_credentials' || webhook.webhook_code === 'token_required')) {
          // A recurrent update failed (belvo-api.md §5.2): the link is now invalid or needs a token.
          events.publish({ type: 'link-changed', link_id: webhook.link_id, status: webhook.webhook_code === 'invalid_credentials' ? 'invalid' : 'token_required' });
        } else if (webhook.webhook_type === 'LINK' && webhook.webhook_code === 'link_valid') {
          // The end user repaired the link (widget in update mode, or new credentials): valid again.
          events.publish({ type: 'link-changed', link_id: webhook.link_id, status: 'valid' });
        }
      };
      try {
        await apply();
      } catch (error) {
        // Not applied: give the delivery back, so Belvo's retry is applied rather than taken for a duplicate.
        await operations.releaseWebhook(webhook.webhook_id);
        throw error;
      }
      // `apply` may have found nothing to apply it to.
      const applied = outcome as StoredWebhook['outcome'];
      if (applied === 'unmatched') await operations.setWebhookOutcome(webhook.webhook_id, applied);
      events.publish({ type: 'operations-changed', link_id: webhook.link_id });
      return { kind: 'stored', webhookId: webhook.webhook_id, outcome };
    },
  };
}
export type WebhookIntake = ReturnType<typeof createWebhookIntake>;
