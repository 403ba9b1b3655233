import { afterEach, describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

async function target(s: TestStack) {
  return s.sim.links().find((candidate) => candidate.status === 'valid') as Link;
}

describe('forged requests', () => {
  const forgeries: [string, Record<string, string>][] = [
    ['no X-Linkdesk-Csrf header', { 'x-linkdesk-csrf': '0' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ];

  it.each(forgeries)('refuses a delete with %s (403), and Belvo sees nothing', async (_name, headers) => {
    stack = await createTestStack();
    const link = await target(stack);
    const response = await stack.as('support')(`/api/links/${link.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async', ...headers } });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual([expect.objectContaining({ code: 'csrf_rejected' })]);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it.each(forgeries)('refuses to start an index sync with %s (403), and Belvo sees nothing', async (_name, headers) => {
    stack = await createTestStack();
    const response = await stack.as('admin')('/bff/index/sync', { method: 'POST', headers });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual([expect.objectContaining({ code: 'csrf_rejected' })]);
    await stack.indexSync.settled();
    expect(stack.sim.requests).toHaveLength(0);
    expect((await (await stack.request('/bff/index/status')).json()) as { state: string }).toMatchObject({ state: 'empty' });
  });

  it.each(forgeries)('refuses to start, pause, resume or cancel a bulk job with %s (403), and nothing changes', async (_name, headers) => {
    stack = await createTestStack();
    const link = await target(stack);
    const body = JSON.stringify({ action: 'delete', link_ids: [link.id] });
    const forged = await stack.as('support')('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual([expect.objectContaining({ code: 'csrf_rejected' })]);
    expect(((await (await stack.request('/bff/jobs')).json()) as { jobs: unknown[] }).jobs).toHaveLength(0);
    const created = (await (await stack.as('support')('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { id: string };
    for (const verb of ['pause', 'resume', 'cancel']) {
      const response = await stack.as('support')(`/bff/jobs/${created.id}/${verb}`, { method: 'POST', headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual([expect.objectContaining({ code: 'csrf_rejected' })]);
    }
    expect(await (await stack.request(`/bff/jobs/${created.id}`)).json()).toMatchObject({ state: 'queued' });
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('starts an index sync for an admin with the header (202)', async () => {
    stack = await createTestStack();
    const response = await stack.as('admin')('/bff/index/sync', { method: 'POST' });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ started: true, status: { state: 'syncing' } });
    await stack.indexSync.settled();
    expect((await (await stack.request('/bff/index/status')).json()) as { state: string }).toMatchObject({ state: 'ready' });
  });

  it('refuses a plain HTML form POST (urlencoded, no custom header, from another site)', async () => {
    stack = await createTestStack();
    const link = await target(stack);
    const response = await stack.app.request(`/api/links/${link.id}/refresh/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', cookie: stack.cookieFor('support') },
      body: 'fetch_resources=ACCOUNTS',
    });
    expect(response.status).toBe(403);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('refuses a forged sign-in and sign-out too', async () => {
    stack = await createTestStack();
    const signIn = await stack.app.request('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'x-linkdesk-csrf': '1' }, body: JSON.stringify({ username: 'admin', password: 'x' }) });
    expect(signIn.status).toBe(403);
    const signOut = await stack.app.request('/bff/session', { method: 'DELETE', headers: { cookie: stack.cookieFor('admin') } });
    expect(signOut.status).toBe(403);
    expect((await stack.request('/bff/operations')).status).toBe(200);
  });

  it('accepts the SPA’s own request: the header, and Origin and Sec-Fetch-Site when the browser sends them', async () => {
    stack = await createTestStack({ publicOrigin: 'https://linkdesk.example.com' });
    const link = await target(stack);
    const response = await stack.as('support')(`/api/links/${link.id}/`, {
      method: 'DELETE',
      headers: { 'X-Belvo-Request-Mode': 'async', origin: 'https://linkdesk.example.com', 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status).toBe(202);
  });

  it('leaves reads alone: a GET needs no header', async () => {
    stack = await createTestStack();
    expect((await stack.app.request('/api/links/?page_size=1', { headers: { cookie: stack.cookieFor('viewer'), 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
  });

  it('does not apply to Belvo’s webhooks, which authenticate with their own header', async () => {
    stack = await createTestStack();
    const response = await stack.app.request('/webhooks/belvo', { method: 'POST', headers: { authorization: 'Bearer test-webhook-secret-0123456789', 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
  });
});
