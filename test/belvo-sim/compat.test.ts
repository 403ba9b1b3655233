import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createSimHarness } from '../support/sim.ts';

function setup() {
  const received: Record<string, unknown>[] = [];
  const harness = createSimHarness({
    webhook: { url: 'http://hooks.test/belvo', authorization: null },
    fetch: async (input, init) => {
      received.push((await new Request(input, init).json()) as Record<string, unknown>);
      return new Response(null, { status: 204 });
    },
  });
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    harness.call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const linkWith = (predicate: (link: Link) => boolean) => {
    const link = harness.sim.links().find(predicate);
    if (!link) throw new Error('no such link in the seed');
    return link;
  };
  return { ...harness, call, received, linkWith };
}

const firstError = async (response: Response) => ((await response.json()) as { code: string; field?: string }[])[0];

describe('GET /api/ (the SDKs connect probe)', () => {
  it('answers 200 with the keys and 401 without them', async () => {
    const { call, sim } = setup();
    expect((await call('GET', '/api/')).status).toBe(200);
    const anonymous = await sim.fetch('http://sim.test/api/');
    expect(anonymous.status).toBe(401);
  });
});

describe('405 for methods a path does not take', () => {
  it('answers GET on the refresh path with 405 and an Allow header, not 404', async () => {
    const { call, sim } = setup();
    const response = await call('GET', `/api/links/${sim.links()[0]?.id}/refresh/`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await call('POST', `/api/links/${sim.links()[0]?.id}/`)).headers.get('allow')).toBe('GET, PUT, PATCH, DELETE');
  });
});

describe('omit and fields', () => {
  it('keeps only the named fields on list and detail, and drops the omitted ones', async () => {
    const { call, sim } = setup();
    const page = (await (await call('GET', '/api/links/?page_size=2&fields=id,status')).json()) as { results: object[] };
    expect(page.results.map((link) => Object.keys(link).sort())).toEqual([['id', 'status'], ['id', 'status']]);
    const detail = (await (await call('GET', `/api/links/${sim.links()[0]?.id}/?omit=external_id,created_by`)).json()) as object;
    expect(Object.keys(detail)).not.toContain('external_id');
    expect(Object.keys(detail)).toContain('institution');
  });
});

describe('created_by__not_in', () => {
  it('leaves out links made by the named users, and refuses a value that is not a UUID', async () => {
    const { call, sim } = setup();
    const creator = sim.links()[0]?.created_by ?? '';
    const page = (await (await call('GET', `/api/links/?created_by__not_in=${creator}&page_size=1000`)).json()) as { results: Link[] };
    expect(page.results.every((link) => link.created_by !== creator)).toBe(true);
    expect((await call('GET', '/api/links/?created_by__not_in=nope')).status).toBe(400);
  });
});

describe('POST /api/links/', () => {
  const register = { institution: 'erebor_mx_retail', username: 'bnk100', password: 'full', access_mode: 'single' };
  it.each(['ana.souza@example.com', '5215512345678', '123.456.789-09', 'GODE561231HDFRRN09'])('stores an external_id that looks like personal data (%s) as null', async (externalId) => {
    const { call } = setup();
    const response = await call('POST', '/api/links/', { ...register, external_id: externalId });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Link).external_id).toBeNull();
  });

  it('keeps an ordinary external_id and accepts fetch_historical and save_data', async () => {
    const { call } = setup();
    const response = await call('POST', '/api/links/', { ...register, external_id: 'InternalUser4000', fetch_historical: true, save_data: true });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Link).external_id).toBe('InternalUser4000');
  });

  it('honours a correct token sent with the registration, and asks for one when it is wrong', async () => {
    const { call } = setup();
    const honoured = await call('POST', '/api/links/', { ...register, username: 'mfa_inputless', password: 'pass_valid', token: '111111' });
    expect(honoured.status).toBe(201);
    expect(((await honoured.json()) as Link).status).toBe('valid');
    expect((await call('POST', '/api/links/', { ...register, username: 'mfa_inputless', password: 'pass_valid', token: '000000' })).status).toBe(428);
  });
});

describe('PUT /api/links/{id}/ (update credentials)', () => {
  it('makes an invalid link valid and sends a LINK webhook', async () => {
    const { call, linkWith, sim, received } = setup();
    const link = linkWith((candidate) => candidate.status === 'invalid');
    const response = await call('PUT', `/api/links/${link.id}/`, { password: 'new-password' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Link).status).toBe('valid');
    await sim.webhooks.settle();
    expect(received).toContainEqual(expect.objectContaining({ webhook_type: 'LINK', link_id: link.id }));
  });

  it('asks a token_required link for a token (428) and the resume makes it valid', async () => {
    const { call, linkWith, sim } = setup();
    const link = linkWith((candidate) => candidate.status === 'token_required');
    const paused = await call('PUT', `/api/links/${link.id}/`, { password: 'new-password' });
    expect(paused.status).toBe(428);
    const [{ session }] = (await paused.json()) as { session: string }[] as [{ session: string }];
    const resumed = await call('PATCH', '/api/links/', { session, link: link.id, token: '111111' });
    expect(resumed.status).toBe(201);
    expect(sim.findLink(link.id)?.status).toBe('valid');
  });

  it('refuses wrong credentials with login_error', async () => {
    const { call, linkWith } = setup();
    const link = linkWith((candidate) => candidate.status === 'invalid');
    expect(await firstError(await call('PUT', `/api/links/${link.id}/`, { password: 'pass_invalid' }))).toMatchObject({ code: 'login_error' });
  });
});

describe('PATCH /api/links/{id}/', () => {
  it('changes access_mode (and with it refresh_rate) and refuses an unknown mode', async () => {
    const { call, linkWith } = setup();
    const link = linkWith((candidate) => candidate.access_mode === 'single');
    const response = await call('PATCH', `/api/links/${link.id}/`, { access_mode: 'recurrent', stale_in: '90d' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_mode: 'recurrent', refresh_rate: '7d', stale_in: '90d' });
    expect(await firstError(await call('PATCH', `/api/links/${link.id}/`, { access_mode: 'weekly' }))).toMatchObject({ field: 'access_mode', code: 'invalid_choice' });
  });
});

describe('POST /api/token/', () => {
  it('answers access and refresh for keys in the body, remembers link_id and expires in 10 minutes', async () => {
    const { sim } = setup();
    const link = sim.links()[0] as Link;
    const response = await sim.fetch('http://sim.test/api/token/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: defaultSimCredentials.secretId, password: defaultSimCredentials.secretPassword, link_id: link.id, scopes: 'read_institutions,write_links,read_links' }),
    });
    expect(response.status).toBe(201);
    const token = (await response.json()) as { access: string; refresh: string };
    expect(Object.keys(token).sort()).toEqual(['access', 'refresh']);
  });

  it('answers 401 for wrong keys and 400 for an unknown link', async () => {
    const { sim, call } = setup();
    const wrong = await sim.fetch('http://sim.test/api/token/', { method: 'POST', body: JSON.stringify({ id: 'x', password: 'y' }) });
    expect(wrong.status).toBe(401);
    expect(await firstError(await call('POST', '/api/token/', { link_id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ field: 'link_id' });
  });
});
