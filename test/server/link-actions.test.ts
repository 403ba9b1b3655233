import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { Link } from '../../src/contract/links.ts';
import type { OperationsState } from '../../src/contract/bff/operations.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { backends, freshDatabase } from '../support/postgres.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const json = { 'content-type': 'application/json' };
const errorOf = async (response: Response) => ((await response.json()) as { code: string; message: string; field?: string; request_id: string }[])[0];
const upstream = (s: TestStack, route: string) => s.sim.requests.filter((request) => request.route === route);
const state = async (s: TestStack) => (await (await s.request('/bff/operations')).json()) as OperationsState;

function link(s: TestStack, predicate: (candidate: Link) => boolean = () => true): Link {
  const found = s.sim.links().find(predicate);
  if (!found) throw new Error('no such link');
  return found;
}
const refreshable = (candidate: Link) => candidate.status === 'valid' && candidate.institution.endsWith('_retail');

async function deliverWebhooks(s: TestStack, ms: number) {
  s.clock.advance(ms);
  await s.sim.webhooks.settle();
}

describe.each(backends())('on %s', (backend) => {
  describe('asynchronous delete through the proxy', () => {
    it('passes the 202 through, tracks the deletion, and completes it when the link_deleted webhook arrives', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, (candidate) => candidate.external_id !== null);
      const response = await stack.request(`/api/links/${target.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } });
      expect(response.status).toBe(202);
      const { request_id } = (await response.json()) as { request_id: string };
      const [deleteCall] = upstream(stack, 'DELETE /api/links/{id}/');
      expect(deleteCall?.headers['x-belvo-request-mode']).toBe('async');

      const pending = (await state(stack)).pending;
      expect(pending).toEqual([
        expect.objectContaining({ request_id, kind: 'delete', link_id: target.id, external_id: target.external_id, institution: target.institution, state: 'pending' }),
      ]);

      await deliverWebhooks(stack, 3_000);
      const after = await state(stack);
      expect(after.pending).toEqual([]);
      expect(after.recently_completed).toEqual([expect.objectContaining({ request_id, state: 'done' })]);
      expect((await stack.request(`/api/links/${target.id}/`)).status).toBe(404);
    });

    it('sends two identical clicks to Belvo once, and answers both with the same request_id', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack);
      const init = { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } };
      const [first, second] = await Promise.all([stack.request(`/api/links/${target.id}/`, init), stack.request(`/api/links/${target.id}/`, init)]);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(await first.json()).toEqual(await second.json());
      expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(1);

      const third = await stack.request(`/api/links/${target.id}/`, init);
      expect(third.status).toBe(202);
      expect(third.headers.get('x-linkdesk-existing-request')).toBe('1');
      expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(1);
    });

    it('refuses a request mode Belvo would silently treat as synchronous', async () => {
      stack = await createTestStack({ backend });
      const response = await stack.request(`/api/links/${link(stack).id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'ASYNC' } });
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ field: 'X-Belvo-Request-Mode' });
      expect(stack.sim.requests).toHaveLength(0);
    });
  });

  describe('synchronous delete and its 5-a-minute budget', () => {
    it('spends the budget shared by every user, refuses the sixth locally, and frees a slot when the window moves', async () => {
      stack = await createTestStack({ backend });
      const targets = stack.sim.links().slice(0, 7);
      for (const target of targets.slice(0, 5)) {
        expect((await stack.request(`/api/links/${target.id}/`, { method: 'DELETE' })).status).toBe(204);
        stack.clock.advance(2_000);
      }
      const budget = (await state(stack)).sync_delete_budget;
      expect(budget).toMatchObject({ limit: 5, used: 5, remaining: 0, next_slot_at: Date.parse('2026-11-25T12:01:00Z') });

      const sixth = await stack.request(`/api/links/${targets[5]?.id}/`, { method: 'DELETE' });
      expect(sixth.status).toBe(429);
      expect(sixth.headers.get('retry-after')).toBe('50');
      expect((await errorOf(sixth))?.message).toMatch(/next one frees in 50 s/);
      expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(5);

      stack.clock.advance(50_000);
      expect((await stack.request(`/api/links/${targets[5]?.id}/`, { method: 'DELETE' })).status).toBe(204);
    });

    it('learns from Belvo’s own 429 (someone deleted outside Linkdesk) and stops asking until Retry-After', async () => {
      stack = await createTestStack({ backend });
      for (const other of stack.sim.links().slice(10, 15)) await stack.belvo(`/api/links/${other.id}/`, { method: 'DELETE' });
      const before = upstream(stack, 'DELETE /api/links/{id}/').length;
      const target = link(stack);
      const refused = await stack.request(`/api/links/${target.id}/`, { method: 'DELETE' });
      expect(refused.status).toBe(429);
      expect((await errorOf(refused))?.code).toBe('too_many_requests');
      expect((await state(stack)).sync_delete_budget).toMatchObject({ remaining: 0, blocked_until: Date.parse('2026-11-25T12:01:00Z') });

      const again = await stack.request(`/api/links/${target.id}/`, { method: 'DELETE' });
      expect(again.status).toBe(429);
      expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(before + 1);
    });

    it('answers a second click on an already deleted link without asking Belvo again', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack);
      expect((await stack.request(`/api/links/${target.id}/`, { method: 'DELETE' })).status).toBe(204);
      const again = await stack.request(`/api/links/${target.id}/`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect((await errorOf(again))?.message).toMatch(/Linkdesk deleted this link at/);
      expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(1);
    });

    it('gives the slot back when Belvo refuses (404), keeps it when the outcome is unknown (timeout)', async () => {
      stack = await createTestStack({ backend, timeoutMs: 1_000 });
      stack.sim.faults.add({ route: 'DELETE /api/links/{id}/', kind: '500', remaining: 1 });
      expect((await stack.request(`/api/links/${link(stack).id}/`, { method: 'DELETE' })).status).toBe(500);
      expect((await state(stack)).sync_delete_budget.used).toBe(0);

      stack.sim.faults.setLatency({ route: 'DELETE /api/links/{id}/', ms: 1_300 });
      const timedOut = await stack.request(`/api/links/${link(stack).id}/`, { method: 'DELETE' });
      expect(timedOut.status).toBe(504);
      expect((await errorOf(timedOut))?.message).toMatch(/may or may not have deleted the link/);
      expect((await state(stack)).sync_delete_budget.used).toBe(1);
    });

    it('passes Belvo’s 404 for an unknown link through, spending nothing', async () => {
      stack = await createTestStack({ backend });
      const response = await stack.request('/api/links/00000000-0000-4000-8000-000000000000/', { method: 'DELETE' });
      expect(response.status).toBe(404);
      expect((await state(stack)).sync_delete_budget.used).toBe(0);
      expect(upstream(stack, 'DELETE /api/links/{id}/')).toHaveLength(0);
    });
  });

  describe('refresh through the proxy', () => {
    it('passes the 202 through and starts a 10-minute cooldown every dashboard sees', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, refreshable);
      const response = await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST', headers: json, body: JSON.stringify({ fetch_resources: ['ACCOUNTS'] }) });
      expect(response.status).toBe(202);
      const { request_id } = (await response.json()) as { request_id: string };
      const current = await state(stack);
      expect(current.cooldowns).toEqual([{ link_id: target.id, ends_at: Date.parse('2026-11-25T12:10:00Z'), source: 'linkdesk' }]);
      expect(current.pending).toEqual([expect.objectContaining({ request_id, kind: 'refresh', resources: ['ACCOUNTS'] })]);
      expect(JSON.parse(upstream(stack, 'POST /api/links/{id}/refresh/')[0]?.body ?? '{}')).toEqual({ fetch_resources: ['ACCOUNTS'] });
    });

    it('refuses locally during the cooldown (409 at 9:59, "Please wait 1 minutes") and lets it through at 10:00', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, refreshable);
      await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' });
      const early = await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' });
      expect(early.status).toBe(409);
      expect(await errorOf(early)).toMatchObject({ code: 'link_refreshed', message: 'The link has already been refreshed. Please wait 10 minutes before trying again.' });
      stack.clock.advance(9 * 60_000 + 59_000);
      expect((await errorOf(await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' })))?.message).toContain('Please wait 1 minutes');
      expect(upstream(stack, 'POST /api/links/{id}/refresh/')).toHaveLength(1);
      stack.clock.advance(1_000);
      expect((await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' })).status).toBe(202);
      expect(upstream(stack, 'POST /api/links/{id}/refresh/')).toHaveLength(2);
    });

    it('learns the cooldown from Belvo’s 409 when the link was refreshed outside Linkdesk', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, refreshable);
      await stack.belvo(`/api/links/${target.id}/refresh/`, { method: 'POST' });
      stack.clock.advance(3 * 60_000);
      const response = await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' });
      expect(response.status).toBe(409);
      expect((await errorOf(response))?.message).toContain('Please wait 7 minutes');
      expect((await state(stack)).cooldowns).toEqual([{ link_id: target.id, ends_at: Date.parse('2026-11-25T12:10:00Z'), source: 'belvo' }]);
    });

    it('sends two identical clicks to Belvo once', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, refreshable);
      const [a, b] = await Promise.all([
        stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' }),
        stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' }),
      ]);
      expect([a.status, b.status]).toEqual([202, 202]);
      expect(await a.json()).toEqual(await b.json());
      expect(upstream(stack, 'POST /api/links/{id}/refresh/')).toHaveLength(1);
    });

    it.each([
      ['{"fetch_resources": ["ACCOUNTS", "SPACESHIPS"]}', 'fetch_resources'],
      ['{"fetch_resources": []}', 'fetch_resources'],
      ['{"fetch_resources": ["ACCOUNTS", "ACCOUNTS"]}', 'fetch_resources'],
      ['{"fetch_resources": "ACCOUNTS"}', 'fetch_resources'],
      ['{"resources": ["ACCOUNTS"]}', 'body'],
      ['{"fetch_resources": [', 'body'],
    ])('rejects %s with a clear 400 before Belvo', async (body, field) => {
      stack = await createTestStack({ backend });
      const response = await stack.request(`/api/links/${link(stack, refreshable).id}/refresh/`, { method: 'POST', headers: json, body });
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      if (field !== 'body') expect(error?.field).toBe(field);
      expect(error?.message.length).toBeGreaterThan(15);
      expect(stack.sim.requests).toHaveLength(0);
    });

    it('rejects a huge body with 413', async () => {
      stack = await createTestStack({ backend });
      const response = await stack.request(`/api/links/${link(stack, refreshable).id}/refresh/`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ fetch_resources: Array.from({ length: 5000 }, () => 'ACCOUNTS') }),
      });
      expect(response.status).toBe(413);
      expect(stack.sim.requests).toHaveLength(0);
    });

    it('passes Belvo’s 400 naming the supported resources through', async () => {
      stack = await createTestStack({ backend });
      const fiscal = link(stack, (candidate) => candidate.status === 'valid' && candidate.institution === 'tatooine_mx_fiscal');
      const response = await stack.request(`/api/links/${fiscal.id}/refresh/`, { method: 'POST', headers: json, body: JSON.stringify({ fetch_resources: ['ACCOUNTS'] }) });
      expect(response.status).toBe(400);
      expect((await errorOf(response))?.message).toMatch(/only supports the following resources: FINANCIAL_STATEMENTS, INVOICES/);
      expect((await state(stack)).cooldowns).toEqual([]);
    });

    it('passes a 428 through whole', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, (candidate) => candidate.status === 'token_required');
      const response = await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' });
      expect(response.status).toBe(428);
      const [body] = (await response.json()) as Record<string, unknown>[];
      expect(body).toMatchObject({ code: 'token_required', link: target.id, session: expect.any(String), expiry: expect.anything() });
      expect(body?.token_generation_data).toMatchObject({ type: 'numeric' });
    });

    it('never retries a failed refresh on its own', async () => {
      stack = await createTestStack({ backend });
      stack.sim.faults.add({ route: 'POST /api/links/{id}/refresh/', kind: '500', remaining: 1 });
      const response = await stack.request(`/api/links/${link(stack, refreshable).id}/refresh/`, { method: 'POST' });
      expect(response.status).toBe(500);
      expect(upstream(stack, 'POST /api/links/{id}/refresh/')).toHaveLength(1);
      expect((await state(stack)).cooldowns).toEqual([]);
    });

    it('records when Belvo confirmed each resource, on the link’s activity', async () => {
      stack = await createTestStack({ backend });
      const target = link(stack, refreshable);
      const response = await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST', headers: json, body: JSON.stringify({ fetch_resources: ['ACCOUNTS', 'OWNERS'] }) });
      const { request_id } = (await response.json()) as { request_id: string };
      await deliverWebhooks(stack, 2_000);
      const activity = (await (await stack.request(`/bff/links/${target.id}/activity`)).json()) as {
        operations: { request_id: string; state: string; detail: { resources_done: Record<string, number> } }[];
        webhooks: { webhook_type: string; webhook_code: string; data: unknown }[];
      };
      expect(activity.operations[0]).toMatchObject({ request_id, state: 'done' });
      expect(Object.keys(activity.operations[0]?.detail.resources_done ?? {}).sort()).toEqual(['ACCOUNTS', 'OWNERS']);
      expect(activity.webhooks.map((hook) => `${hook.webhook_type}/${hook.webhook_code}`).sort()).toEqual(['ACCOUNTS/historical_update', 'OWNERS/historical_update']);
    });
  });

  describe('shared state survives a restart', () => {
    it('keeps cooldowns, the delete budget and pending deletions in the database', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'linkdesk-store-'));
      const database = backend === 'postgres' ? await freshDatabase('postgres') : null;
      try {
        const clock = createManualClock('2026-11-25T12:00:00Z');
        // The file, or the PostgreSQL database, that a restarted Linkdesk opens again.
        const location = database?.location ?? join(dir, 'linkdesk.sqlite');
        stack = await createTestStack({ clock, db: await openDatabase(location) });
        const refreshed = link(stack, refreshable);
        await stack.request(`/api/links/${refreshed.id}/refresh/`, { method: 'POST' });
        const [syncTarget, asyncTarget] = stack.sim.links().slice(5, 7);
        await stack.request(`/api/links/${syncTarget?.id}/`, { method: 'DELETE' });
        await stack.request(`/api/links/${asyncTarget?.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } });
        await stack.db.destroy();
        await stack.close();

        clock.advance(60_000 - 1);
        stack = await createTestStack({ clock, db: await openDatabase(location) });
        const restored = await state(stack);
        expect(restored.cooldowns).toEqual([expect.objectContaining({ link_id: refreshed.id })]);
        expect(restored.sync_delete_budget.used).toBe(1);
        expect(restored.pending).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ kind: 'delete', link_id: asyncTarget?.id }),
            expect.objectContaining({ kind: 'refresh', link_id: refreshed.id }),
          ]),
        );
        expect((await stack.request(`/api/links/${refreshed.id}/refresh/`, { method: 'POST' })).status).toBe(409);
        await stack.db.destroy();
      } finally {
        await database?.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the event stream', () => {
    it('tells an open dashboard when shared state changes', async () => {
      stack = await createTestStack({ backend });
      const controller = new AbortController();
      const response = await stack.request('/bff/events', { signal: controller.signal });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          text += decoder.decode(chunk.value);
        }
      };
      await readUntil('event: ready');
      const target = link(stack, refreshable);
      await stack.request(`/api/links/${target.id}/refresh/`, { method: 'POST' });
      await readUntil('operations-changed');
      expect(text).toContain(`"link_id":"${target.id}"`);
      controller.abort();
      await reader?.cancel().catch(() => undefined);
    });
  });
});
