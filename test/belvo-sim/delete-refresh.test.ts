import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { createSimHarness } from '../support/sim.ts';

function setup() {
  const received: { authorization: string | null; body: Record<string, unknown> }[] = [];
  const { sim, clock, call: send } = createSimHarness({
    webhook: { url: 'http://hooks.test/belvo', authorization: 'Bearer hook-secret' },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      received.push({ authorization: request.headers.get('authorization'), body: (await request.json()) as Record<string, unknown> });
      return new Response(null, { status: 204 });
    },
  });
  const call = (method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) =>
    send(path, { method, headers: init.headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const linkWith = (predicate: (link: Link) => boolean) => {
    const link = sim.links().find(predicate);
    if (!link) throw new Error('no such link in the seed');
    return link;
  };
  const settle = async (ms: number) => {
    clock.advance(ms);
    await sim.webhooks.settle();
  };
  return { sim, clock, call, send, received, linkWith, settle };
}

const errorOf = async (response: Response) => ((await response.json()) as { code: string; message: string; field?: string; request_id: string }[])[0];

describe('DELETE /api/links/{id}/ (synchronous)', () => {
  it('answers 204 and the link is gone', async () => {
    const { sim, call } = setup();
    const link = sim.links()[0] as Link;
    const response = await call('DELETE', `/api/links/${link.id}/`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await call('GET', `/api/links/${link.id}/`)).status).toBe(404);
  });

  it('allows five a minute: the sixth gets 429 too_many_requests with Retry-After, until the window moves', async () => {
    const { sim, call, clock } = setup();
    const ids = sim.links().slice(0, 7).map((link) => link.id);
    for (const id of ids.slice(0, 5)) {
      expect((await call('DELETE', `/api/links/${id}/`)).status).toBe(204);
      clock.advance(1_000);
    }
    const limited = await call('DELETE', `/api/links/${ids[5]}/`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('55');
    expect(await errorOf(limited)).toMatchObject({ code: 'too_many_requests', request_id: expect.stringMatching(/^[a-f0-9]{32}$/) });
    expect((await call('GET', `/api/links/${ids[5]}/`)).status).toBe(200);

    clock.advance(54_999); // 59.999 s after the first deletion: still in the window
    expect((await call('DELETE', `/api/links/${ids[5]}/`)).status).toBe(429);
    clock.advance(1); // exactly 60 s: the first deletion leaves the window
    expect((await call('DELETE', `/api/links/${ids[5]}/`)).status).toBe(204);
  });

  it('answers 404 not_found for an unknown link', async () => {
    const { call } = setup();
    const response = await call('DELETE', '/api/links/00000000-0000-4000-8000-000000000000/');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({ code: 'not_found', message: 'Not found' });
  });

  it.each([
    ['403', 403, 'access_to_resource_denied'],
    ['408', 408, 'request_timeout'],
    ['500', 500, 'unexpected_error'],
    ['428', 428, 'token_required'],
  ] as const)('returns %s through the fault controls', async (kind, status, code) => {
    const { sim, call } = setup();
    sim.faults.add({ route: 'DELETE /api/links/{id}/', kind, remaining: 1 });
    const link = sim.links()[0] as Link;
    const response = await call('DELETE', `/api/links/${link.id}/`);
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toMatchObject({ code });
    expect(sim.findLink(link.id)).toBeDefined();
  });
});

describe('DELETE /api/links/{id}/ with X-Belvo-Request-Mode: async', () => {
  it('answers 202 with a request_id, removes the link a few seconds later and posts link_deleted', async () => {
    const { sim, call, received, settle } = setup();
    const link = sim.links().find((candidate) => candidate.external_id) as Link;
    const response = await call('DELETE', `/api/links/${link.id}/`, { headers: { 'X-Belvo-Request-Mode': 'async' } });
    expect(response.status).toBe(202);
    const { request_id } = (await response.json()) as { request_id: string };
    expect(request_id).toMatch(/^[a-f0-9]{32}$/);
    expect((await call('GET', `/api/links/${link.id}/`)).status).toBe(200);

    await settle(2_999);
    expect(received).toHaveLength(0);
    await settle(1);
    expect((await call('GET', `/api/links/${link.id}/`)).status).toBe(404);
    expect(received).toHaveLength(1);
    expect(received[0]?.authorization).toBe('Bearer hook-secret');
    expect(received[0]?.body).toMatchObject({
      webhook_id: expect.stringMatching(/^[a-f0-9]{32}$/),
      webhook_type: 'LINK',
      webhook_code: 'link_deleted',
      link_id: link.id,
      request_id,
      external_id: link.external_id,
      data: {},
    });
  });

  it('is not limited to five a minute', async () => {
    const { sim, call } = setup();
    for (const link of sim.links().slice(0, 12)) {
      expect((await call('DELETE', `/api/links/${link.id}/`, { headers: { 'X-Belvo-Request-Mode': 'async' } })).status).toBe(202);
    }
  });

  it('treats the header case-sensitively: "ASYNC" is a synchronous delete, as Belvo documents', async () => {
    const { sim, call } = setup();
    const link = sim.links()[0] as Link;
    const response = await call('DELETE', `/api/links/${link.id}/`, { headers: { 'X-Belvo-Request-Mode': 'ASYNC' } });
    expect(response.status).toBe(204);
  });

  it('retries a webhook Belvo could not deliver, five more times with a linear backoff', async () => {
    let attempts = 0;
    const { sim, clock, call } = createSimHarness({
      webhook: { url: 'http://hooks.test/belvo' },
      fetch: async () => {
        attempts += 1;
        return new Response('down', { status: 503 });
      },
    });
    const link = sim.links()[0] as Link;
    await call(`/api/links/${link.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } });
    clock.advance(3_000);
    await sim.webhooks.settle();
    for (let retry = 1; retry <= 6; retry += 1) {
      clock.advance(retry * 30_000);
      await sim.webhooks.settle();
    }
    expect(attempts).toBe(6);
    expect(sim.webhooks.deliveries[0]?.state).toBe('failed');
  });
});

describe('POST /api/links/{id}/refresh/', () => {
  const validRecurrent = (link: Link) => link.status === 'valid' && link.institution === 'erebor_mx_retail';

  it('answers 202 with a request_id and posts one historical_update per resource', async () => {
    const { call, linkWith, received, settle } = setup();
    const link = linkWith(validRecurrent);
    const response = await call('POST', `/api/links/${link.id}/refresh/`, { body: { fetch_resources: ['ACCOUNTS', 'TRANSACTIONS'] } });
    expect(response.status).toBe(202);
    const { request_id } = (await response.json()) as { request_id: string };
    await settle(2_000);
    expect(received.map((hook) => hook.body.webhook_type).sort()).toEqual(['ACCOUNTS', 'TRANSACTIONS']);
    for (const hook of received) {
      expect(hook.body).toMatchObject({ webhook_code: 'historical_update', link_id: link.id, request_id });
    }
    expect(received.find((hook) => hook.body.webhook_type === 'ACCOUNTS')?.body.data).toEqual({ total_accounts: 5 });
  });

  it('refreshes every resource the institution supports when fetch_resources is left out', async () => {
    const { call, linkWith, received, settle } = setup();
    const link = linkWith((candidate) => candidate.status === 'valid' && candidate.institution === 'tatooine_mx_fiscal');
    expect((await call('POST', `/api/links/${link.id}/refresh/`)).status).toBe(202);
    await settle(2_000);
    expect(received.map((hook) => hook.body.webhook_type).sort()).toEqual(
      ['FINANCIAL_STATEMENTS', 'INVOICES', 'TAX_COMPLIANCE_STATUS', 'TAX_RETENTIONS', 'TAX_RETURNS', 'TAX_STATUS'],
    );
  });

  it('holds a 10-minute cooldown: 409 link_refreshed at 9:59 with the minutes left, 202 at 10:00', async () => {
    const { call, linkWith, clock } = setup();
    const link = linkWith(validRecurrent);
    expect((await call('POST', `/api/links/${link.id}/refresh/`)).status).toBe(202);

    const immediately = await call('POST', `/api/links/${link.id}/refresh/`);
    expect(immediately.status).toBe(409);
    expect(await errorOf(immediately)).toMatchObject({
      code: 'link_refreshed',
      message: 'The link has already been refreshed. Please wait 10 minutes before trying again.',
    });
    clock.advance(2.5 * 60_000);
    expect((await errorOf(await call('POST', `/api/links/${link.id}/refresh/`)))?.message).toContain('Please wait 8 minutes');
    clock.advance(7.5 * 60_000 - 1_000); // 9:59
    const atNineFiftyNine = await call('POST', `/api/links/${link.id}/refresh/`);
    expect(atNineFiftyNine.status).toBe(409);
    expect((await errorOf(atNineFiftyNine))?.message).toContain('Please wait 1 minutes');
    clock.advance(1_000); // 10:00
    expect((await call('POST', `/api/links/${link.id}/refresh/`)).status).toBe(202);
  });

  it('names the supported resources when asked for one the institution lacks', async () => {
    const { call, linkWith } = setup();
    const link = linkWith((candidate) => candidate.status === 'valid' && candidate.institution === 'tatooine_mx_fiscal');
    const response = await call('POST', `/api/links/${link.id}/refresh/`, { body: { fetch_resources: ['ACCOUNTS'] } });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'invalid', field: 'resources' });
    expect(error?.message).toBe(
      'The institution only supports the following resources: FINANCIAL_STATEMENTS, INVOICES, TAX_COMPLIANCE_STATUS, TAX_RETENTIONS, TAX_RETURNS, TAX_STATUS',
    );
  });

  it('asks a token_required link for a token (428), and a PATCH resumes it, makes it valid and accepts the refresh', async () => {
    const { call, linkWith, sim, received, settle } = setup();
    const link = linkWith((candidate) => candidate.status === 'token_required' && candidate.institution.endsWith('_retail'));
    const response = await call('POST', `/api/links/${link.id}/refresh/`, { body: { fetch_resources: ['OWNERS'] } });
    expect(response.status).toBe(428);
    const [challenge] = (await response.json()) as { session: string; link: string; expiry: number; token_generation_data: Record<string, unknown> }[];
    expect(challenge).toMatchObject({ code: 'token_required', link: link.id, session: expect.stringMatching(/^[a-f0-9]{32}$/) });
    expect(challenge?.token_generation_data).toMatchObject({ type: 'numeric', expects_user_input: true, value: expect.stringMatching(/^\d{6}$/) });

    const resumed = await call('PATCH', '/api/links/', { body: { session: challenge?.session, link: link.id, token: '111111' } });
    expect(resumed.status).toBe(201);
    expect(((await resumed.json()) as Link).status).toBe('valid');
    expect(sim.findLink(link.id)?.status).toBe('valid');
    await settle(2_000);
    expect(received.map((hook) => hook.body.webhook_type)).toEqual(['OWNERS']);
    expect((await call('POST', `/api/links/${link.id}/refresh/`)).status).toBe(409);
  });

  it('refuses invalid and unconfirmed links with Belvo’s 400s', async () => {
    const { call, linkWith } = setup();
    const invalid = linkWith((candidate) => candidate.status === 'invalid');
    expect(await errorOf(await call('POST', `/api/links/${invalid.id}/refresh/`))).toMatchObject({ code: 'invalid_link' });
    const unconfirmed = linkWith((candidate) => candidate.status === 'unconfirmed');
    expect(await errorOf(await call('POST', `/api/links/${unconfirmed.id}/refresh/`))).toMatchObject({ code: 'unconfirmed_link' });
  });

  it('answers a body that is not JSON with 400 parse_error', async () => {
    const { send, linkWith } = setup();
    const link = linkWith(validRecurrent);
    const response = await send(`/api/links/${link.id}/refresh/`, { method: 'POST', body: '{"fetch_resources": [' });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: 'parse_error' });
  });
});
