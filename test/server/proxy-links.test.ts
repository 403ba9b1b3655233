import { afterEach, describe, expect, it } from 'vitest';
import { requestIdPattern } from '../../src/contract/errors.ts';
import type { LinksPage } from '../../src/contract/links.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

async function errorsOf(response: Response) {
  const body = (await response.json()) as { code: string; message: string; request_id: string; field?: string }[];
  expect(Array.isArray(body)).toBe(true);
  for (const item of body) expect(item.request_id).toMatch(requestIdPattern);
  return body;
}

describe('GET /api/links/ through the proxy', () => {
  it('answers as Belvo does, with next/previous pointing at the proxy', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/?status=valid&page_size=5&page=2');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = (await response.json()) as LinksPage;
    expect(page.results).toHaveLength(5);
    expect(page.results.every((link) => link.status === 'valid')).toBe(true);
    const next = new URL(page.next ?? '', 'http://linkdesk.test');
    expect(next.pathname).toBe('/api/links/');
    expect(page.next?.startsWith('/api/links/?')).toBe(true);
    expect(Object.fromEntries(next.searchParams)).toEqual({ status: 'valid', page_size: '5', page: '3' });
    const previous = new URL(page.previous ?? '', 'http://linkdesk.test');
    expect(Object.fromEntries(previous.searchParams)).toEqual({ status: 'valid', page_size: '5' });
  });

  it('caps page_size at 1000 as Belvo does, instead of refusing it', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/?page_size=5000');
    expect(response.status).toBe(200);
    expect(new URL(stack.belvoCalls[0]?.url ?? '').searchParams.get('page_size')).toBe('1000');
  });

  it('accepts omit, fields and created_by__not_in, and Belvo applies them', async () => {
    stack = await createTestStack();
    const creator = stack.sim.links()[0]?.created_by ?? '';
    const response = await stack.request(`/api/links/?fields=id,created_by&omit=created_by&created_by__not_in=${creator}&page_size=10`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { results: object[] };
    expect(page.results.every((link) => Object.keys(link).join() === 'id')).toBe(true);
    expect(Object.fromEntries(new URL(stack.belvoCalls[0]?.url ?? '').searchParams)).toMatchObject({ fields: 'id,created_by', omit: 'created_by', created_by__not_in: creator });
  });

  it('forwards only validated filters, rebuilt from their parsed values', async () => {
    stack = await createTestStack();
    await stack.request('/api/links/?external_id=user-00001&institution=erebor_mx_retail&page_size=10');
    expect(stack.belvoCalls).toHaveLength(1);
    const url = new URL(stack.belvoCalls[0]?.url ?? '');
    expect(url.pathname).toBe('/api/links/');
    expect(Object.fromEntries(url.searchParams)).toEqual({ page_size: '10', external_id: 'user-00001', institution: 'erebor_mx_retail' });
  });

  it.each([
    ['status=broken', 'status'],
    ['external_id=ab', 'external_id'],
    ['external_id=has%20space', 'external_id'],
    ['page_size=0', 'page_size'],
    ['page_size=ten', 'page_size'],
    ['fields=Id;drop', 'fields'],
    ['omit=', 'omit'],
    ['created_by__not_in=someone', 'created_by__not_in'],
    ['page=-1', 'page'],
    ['institution=Erebor', 'institution'],
    ['status__in=valid,nope', 'status__in'],
    ['created_at__gt=2026-02-30', 'created_at__gt'],
    ['created_at__range=2026-01-01', 'created_at__range'],
    ['id=123', 'id'],
  ])('rejects %s with 400 naming the field, and Belvo never hears of it', async (query, field) => {
    stack = await createTestStack();
    const response = await stack.request(`/api/links/?${query}`);
    expect(response.status).toBe(400);
    const errors = await errorsOf(response);
    expect(errors.map((error) => error.field)).toContain(field);
    expect(errors[0]?.message.length).toBeGreaterThan(10);
    expect(stack.belvoCalls).toHaveLength(0);
  });

  it('rejects unknown keys, listing the ones it accepts', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/?ordering=-created_at');
    expect(response.status).toBe(400);
    const [error] = await errorsOf(response);
    expect(error).toMatchObject({ field: 'ordering', code: 'unknown_parameter' });
    expect(error?.message).toContain('external_id');
    expect(stack.belvoCalls).toHaveLength(0);
  });

  it('rejects a repeated key and points to the __in form', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/?status=valid&status=invalid');
    const [error] = await errorsOf(response);
    expect(error).toMatchObject({ field: 'status', code: 'duplicate_parameter' });
    expect(error?.message).toContain('status__in');
  });

  it('passes Belvo’s own errors through whole', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/?page=999');
    expect(response.status).toBe(404);
    const [error] = await errorsOf(response);
    expect(error).toMatchObject({ code: 'not_found', message: 'Invalid page.' });
    expect(stack.logLines.some((line) => line.includes(error?.request_id ?? 'none'))).toBe(true);
  });
});

describe('GET /api/links/{id}/ through the proxy', () => {
  it('returns the link', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0];
    const response = await stack.request(`/api/links/${link?.id}/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(link);
  });

  it('answers an id that is not a UUID with 400 before Belvo', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/..%2F..%2Faccounts/');
    expect([400, 404]).toContain(response.status);
    expect(stack.belvoCalls).toHaveLength(0);
    const bad = await stack.request('/api/links/not-a-link/');
    expect(bad.status).toBe(400);
    expect((await errorsOf(bad))[0]).toMatchObject({ field: 'id' });
  });

  it('passes Belvo’s 404 through', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/00000000-0000-4000-8000-000000000000/');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]).toMatchObject({ code: 'not_found', message: 'Not found' });
  });

  it('takes omit and fields, and forwards them to Belvo', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0];
    const response = await stack.request(`/api/links/${link?.id}/?fields=id,status`);
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as object).sort()).toEqual(['id', 'status']);
    const omitted = await stack.request(`/api/links/${link?.id}/?omit=external_id`);
    expect(Object.keys((await omitted.json()) as object)).not.toContain('external_id');
  });

  it('refuses any other query parameter', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0];
    const response = await stack.request(`/api/links/${link?.id}/?expand=owner`);
    expect(response.status).toBe(400);
    expect(stack.belvoCalls).toHaveLength(0);
  });
});

describe('the allow-list', () => {
  it.each([
    ['GET', '/api/accounts/'],
    ['GET', '/api/links'],
    ['GET', '/api/'],
    ['GET', '/api/institutions/'],
    ['POST', '/api/token/'],
    ['GET', '/api/links/x/y/'],
  ])('%s %s is 404 and never reaches Belvo', async (method, path) => {
    stack = await createTestStack();
    const response = await stack.request(path, { method });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]?.code).toBe('not_found');
    expect(stack.belvoCalls).toHaveLength(0);
  });

  it.each([
    ['PUT', '/api/links/'],
    ['PUT', '/api/links/00000000-0000-4000-8000-000000000000/'],
  ])('%s %s is 405 with Allow, and never reaches Belvo', async (method, path) => {
    stack = await createTestStack();
    const response = await stack.request(path, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBeTruthy();
    expect(stack.belvoCalls).toHaveLength(0);
  });
});

describe('when Belvo misbehaves', () => {
  it('turns a timeout into 504 belvo_timeout with what to do', async () => {
    stack = await createTestStack({ timeoutMs: 1_000 });
    stack.sim.faults.setLatency({ route: 'GET /api/links/', ms: 1_500 });
    const response = await stack.request('/api/links/');
    expect(response.status).toBe(504);
    const [error] = await errorsOf(response);
    expect(error?.code).toBe('belvo_timeout');
    expect(error?.message).toMatch(/did not answer within 1 s/);
  });

  it('turns a dropped connection into 502 belvo_unreachable', async () => {
    stack = await createTestStack();
    stack.sim.faults.add({ route: '*', kind: 'drop', remaining: 1 });
    const response = await stack.request('/api/links/');
    expect(response.status).toBe(502);
    expect((await errorsOf(response))[0]?.code).toBe('belvo_unreachable');
  });

  it('passes Belvo’s 500 and 408 through with their request_id', async () => {
    stack = await createTestStack();
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '500', remaining: 1 });
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '408', remaining: 1 });
    expect((await errorsOf(await stack.request('/api/links/')))[0]?.code).toBe('unexpected_error');
    const timeout = await stack.request('/api/links/');
    expect(timeout.status).toBe(408);
    expect((await errorsOf(timeout))[0]?.code).toBe('request_timeout');
  });

  it('never retries on its own', async () => {
    stack = await createTestStack();
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '500', remaining: 1 });
    await stack.request('/api/links/');
    expect(stack.sim.requests.filter((request) => request.route === 'GET /api/links/')).toHaveLength(1);
  });
});

describe('POST /api/links/ through the proxy', () => {
  it('accepts the documented fetch_historical and save_data, and refuses them when they are not booleans', async () => {
    stack = await createTestStack();
    const body = { institution: 'erebor_mx_retail', username: 'bnk100', password: 'full', access_mode: 'single', fetch_historical: true, save_data: true };
    const send = (value: unknown) => stack.as('admin')('/api/links/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    expect((await send(body)).status).toBe(201);
    const refused = await send({ ...body, fetch_historical: 'yes' });
    expect(refused.status).toBe(400);
    expect((await errorsOf(refused)).map((error) => error.field)).toContain('fetch_historical');
  });
});
