import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';
import type { WebhookIntake } from '../services/webhook-intake.ts';

function sameHeader(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /webhooks/belvo`: Belvo's notifications, authenticated by the Authorization header
 * configured in Belvo's dashboard (Bearer or Basic); what they change is services/webhook-intake.ts.
 */
export function webhookRoutes(deps: { authorization: string | null; webhookIntake: WebhookIntake }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.post(
    '/belvo',
    bodyLimit({
      maxSize: 256 * 1024,
      onError: (c) => errorResponse(c, 413, [{ code: 'payload_too_large', message: 'A webhook is at most 256 KiB.' }]),
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
      const receipt = await deps.webhookIntake.receive(await c.req.text());
      if (receipt.kind === 'malformed') return errorResponse(c, 400, [{ code: 'malformed_webhook', message: receipt.message }]);
      if (receipt.kind === 'duplicate') return c.json({ status: 'duplicate', webhook_id: receipt.webhookId }, 200);
      return c.json({ status: receipt.outcome, webhook_id: receipt.webhookId }, receipt.outcome === 'unknown' ? 202 : 200);
    },
  );
  return routes;
}
