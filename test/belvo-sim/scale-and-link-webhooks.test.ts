import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import type { WebhookEnvelope } from '../../src/belvo-sim/webhooks.ts';
import { createSimHarness } from '../support/sim.ts';

/** The simulator's size and pace settings, its 429, and LINK webhooks when a recurrent update fails. */
const hook = { url: 'http://hooks.test/belvo', authorization: 'Bearer hook-secret-123' };

function capturing() {
  const received: WebhookEnvelope[] = [];
  const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
    received.push(JSON.parse(String(init?.body)) as WebhookEnvelope);
    return new Response(null, { status: 204 });
  };
  return { received, fetch: fetch as typeof globalThis.fetch };
}

describe('scale and pace', { timeout: 20_000 }, () => {
  it('seeds the number of links asked for, with orphans and duplicates in the usual shares', async () => {
    const { call, sim } = createSimHarness({ linkCount: 20_000 });
    const page = (await (await call('/api/links/?page_size=1')).json()) as { count: number };
    expect(page.count).toBe(20_000);
    const links = sim.links();
    const orphans = links.filter((link) => link.external_id === null).length;
    expect(orphans / links.length).toBeGreaterThan(0.08);
    expect(orphans / links.length).toBeLessThan(0.12);
    const keys = new Map<string, number>();
    for (const link of links) keys.set(`${link.institution} ${link.institution_user_id}`, (keys.get(`${link.institution} ${link.institution_user_id}`) ?? 0) + 1);
    const groups = [...keys.values()].filter((n) => n > 1).length;
    // Every 40th link gets a duplicate (seed 003).
    expect(groups).toBeGreaterThan(20_000 / 40 - 25);
    expect(groups).toBeLessThanOrEqual(20_000 / 40);
  });

  it('delays each links page by the page latency', async () => {
    const { call } = createSimHarness({ linkCount: 50, pageLatencyMs: 120 });
    const started = performance.now();
    expect((await call('/api/links/')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    const detail = performance.now();
    expect((await call('/api/links/00000000-0000-4000-8000-000000000000/')).status).toBe(404);
    expect(performance.now() - detail).toBeLessThan(100);
  });

  it('throttles with 429 and Retry-After on a 429 fault', async () => {
    const { call } = createSimHarness({ linkCount: 10 });
    await call('/_sim/faults', { method: 'POST', body: JSON.stringify({ route: 'GET /api/links/', kind: '429' }) });
    const response = await call('/api/links/');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual([expect.objectContaining({ code: 'too_many_requests', request_id: expect.stringMatching(/^[a-f0-9]{32}$/) })]);
    expect((await call('/api/links/')).status).toBe(200);
  });
});

describe('LINK webhooks', () => {
  it('sends invalid_credentials or token_required when a recurrent update fails, and the link says so', async () => {
    const { received, fetch } = capturing();
    const { call, sim } = createSimHarness({ linkCount: 200, webhook: hook, fetch });
    const [first, second] = sim.links().filter((link) => link.status === 'valid' && link.access_mode === 'recurrent') as Link[];
    if (!first || !second) throw new Error('no valid recurrent links');
    expect((await call(`/_sim/links/${first.id}/fail-update`, { method: 'POST', body: JSON.stringify({ status: 'invalid' }) })).status).toBe(200);
    sim.failRecurrentUpdate(second, 'token_required');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual([
      expect.objectContaining({
        webhook_type: 'LINK',
        webhook_code: 'invalid_credentials',
        process_type: 'recurrent_update',
        link_id: first.id,
        data: { error_code: 'login_error', error_message: 'Invalid credentials provided to login to the institution', status: 400 },
      }),
      expect.objectContaining({ webhook_type: 'LINK', webhook_code: 'token_required', link_id: second.id }),
    ]);
    expect(((await (await call(`/api/links/${first.id}/`)).json()) as Link).status).toBe('invalid');
    expect(((await (await call(`/api/links/${second.id}/`)).json()) as Link).status).toBe('token_required');
  });

  it('fails about the configured number of recurrent updates a simulated day, hour by hour', async () => {
    const { received, fetch } = capturing();
    const { sim, clock } = createSimHarness({ linkCount: 1_250, webhook: hook, fetch, recurrentFailuresPerDay: 48 });
    for (let hour = 0; hour < 24; hour += 1) clock.advance(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toHaveLength(48);
    expect(received.every((payload) => payload.webhook_type === 'LINK' && ['invalid_credentials', 'token_required'].includes(payload.webhook_code))).toBe(true);
    for (const payload of received) expect(sim.findLink(payload.link_id)?.status).not.toBe('valid');
  });
});
