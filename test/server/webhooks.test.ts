import { afterEach, describe, expect, it } from 'vitest';
import { createTestStack, testWebhookAuthorization, type TestStack } from '../support/stack.ts';
import { backends } from '../support/postgres.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const envelope = (overrides: Record<string, unknown> = {}) => ({
  webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac999',
  webhook_type: 'ACCOUNTS',
  webhook_code: 'historical_update',
  process_type: 'historical_update',
  link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
  request_id: '4363b08b51eb43509c745df5ac92a7f6',
  external_id: 'your_external_id',
  data: { total_accounts: 5 },
  ...overrides,
});

function post(s: TestStack, body: unknown, authorization: string | null = testWebhookAuthorization) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  return s.request('/webhooks/belvo', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}
const stored = (s: TestStack) => s.db.selectFrom('webhooks').select(['webhook_id', 'outcome', 'problem']).orderBy('id').execute();

describe.each(backends())('on %s', (backend) => {
  describe('POST /webhooks/belvo', () => {
    it('refuses a wrong or missing Authorization header and keeps nothing', async () => {
      stack = await createTestStack({ backend });
      expect((await post(stack, envelope(), 'Bearer wrong')).status).toBe(401);
      expect((await post(stack, envelope(), null)).status).toBe(401);
      expect(await stored(stack)).toEqual([]);
    });

    it('accepts Belvo’s envelope, and recognises a retried delivery by webhook_id', async () => {
      stack = await createTestStack({ backend });
      const first = await post(stack, envelope());
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ status: 'unmatched', webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac999' });
      const again = await post(stack, envelope());
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'duplicate', webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac999' });
      expect(await stored(stack)).toHaveLength(1);
    });

    it('keeps a malformed payload for inspection and says what is wrong', async () => {
      stack = await createTestStack({ backend });
      const notJson = await post(stack, '{"webhook_id": ');
      expect(notJson.status).toBe(400);
      const missing = await post(stack, { webhook_type: 'LINK' });
      expect(missing.status).toBe(400);
      const [error] = (await missing.json()) as { code: string; message: string }[];
      expect(error?.code).toBe('malformed_webhook');
      expect(error?.message).toContain('webhook_id');
      expect(await stored(stack)).toEqual([
        { webhook_id: null, outcome: 'malformed', problem: 'not JSON' },
        { webhook_id: null, outcome: 'malformed', problem: expect.stringContaining('webhook_id') },
      ]);
    });

    it('keeps an unknown webhook code and answers 202', async () => {
      stack = await createTestStack({ backend });
      const response = await post(stack, envelope({ webhook_id: 'b'.repeat(32), webhook_code: 'something_new' }));
      expect(response.status).toBe(202);
      expect(await stored(stack)).toEqual([{ webhook_id: 'b'.repeat(32), outcome: 'unknown', problem: null }]);
    });

    it('lists every delivery for inspection, malformed ones with their problem', async () => {
      stack = await createTestStack({ backend });
      await post(stack, '{"broken": ');
      await post(stack, envelope({ webhook_id: 'c'.repeat(32) }));
      const { webhooks } = (await (await stack.as('viewer')('/bff/webhooks')).json()) as { webhooks: { outcome: string; problem: string | null; payload: string }[] };
      expect(webhooks.map((webhook) => webhook.outcome)).toEqual(['unmatched', 'malformed']);
      expect(webhooks[1]).toMatchObject({ problem: 'not JSON', payload: '{"broken": ' });
    });

    it('never crashes on odd JSON', async () => {
      stack = await createTestStack({ backend });
      for (const body of ['null', '[]', '42', '"text"', JSON.stringify(envelope({ link_id: 42 }))]) {
        expect((await post(stack, body)).status).toBe(400);
      }
    });
  });
});
