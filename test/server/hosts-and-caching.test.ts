import { afterEach, describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { loadConfig } from '../../src/server/config.ts';
import { createTestStack, testPassword, testWebhookAuthorization, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

describe('DNS rebinding: Linkdesk answers only to its own host names', () => {
  it('refuses a page on another name that resolves to Linkdesk, reads and writes alike', async () => {
    stack = await createTestStack();
    const link = stack.sim.links().find((candidate) => candidate.status === 'valid') as Link;
    // The attacker's page is http://rebind.example:8080; its requests carry that Host and that Origin.
    const write = await stack.app.request(`http://rebind.example:8080/api/links/${link.id}/`, {
      method: 'DELETE',
      headers: { cookie: stack.cookieFor('support'), 'x-linkdesk-csrf': '1', origin: 'http://rebind.example:8080', 'sec-fetch-site': 'same-origin' },
    });
    expect(write.status).toBe(421);
    expect(await write.json()).toEqual([expect.objectContaining({ code: 'unknown_host' })]);
    const signIn = await stack.app.request('http://rebind.example:8080/bff/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1', origin: 'http://rebind.example:8080' },
      body: JSON.stringify({ username: 'admin', password: testPassword }),
    });
    expect(signIn.status).toBe(421);
    const read = await stack.app.request('http://rebind.example:8080/api/links/?page_size=1', { headers: { cookie: stack.cookieFor('viewer') } });
    expect(read.status).toBe(421);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('answers on the configured names, and builds the expected Origin only from them', async () => {
    stack = await createTestStack({ allowedHosts: ['linkdesk.internal'] });
    const ok = await stack.app.request('http://linkdesk.internal:8080/bff/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1', origin: 'http://linkdesk.internal:8080' },
      body: JSON.stringify({ username: 'admin', password: testPassword }),
    });
    expect(ok.status).toBe(200);
    expect((await stack.app.request('http://localhost/bff/meta')).status).toBe(421);
    // Another port on the same name is another origin.
    const otherPort = await stack.app.request('http://linkdesk.internal:8080/bff/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1', origin: 'http://linkdesk.internal:3000' },
      body: JSON.stringify({ username: 'admin', password: testPassword }),
    });
    expect(otherPort.status).toBe(403);
  });

  it('still takes Belvo’s webhooks, which authenticate with their own header', async () => {
    stack = await createTestStack({ allowedHosts: ['linkdesk.internal'] });
    const response = await stack.app.request('http://hooks.example/webhooks/belvo', {
      method: 'POST',
      headers: { authorization: testWebhookAuthorization, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
  });

  it('defaults to the listen address and the loopback names, or the public origin’s name', () => {
    expect(loadConfig({}).allowedHosts.sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect(loadConfig({ HOST: '10.0.0.5' }).allowedHosts).toContain('10.0.0.5');
    expect(loadConfig({ HOST: '0.0.0.0' }).allowedHosts).not.toContain('0.0.0.0');
    expect(loadConfig({ LINKDESK_PUBLIC_ORIGIN: 'https://linkdesk.example.com' }).allowedHosts).toEqual(['linkdesk.example.com']);
    expect(loadConfig({ LINKDESK_ALLOWED_HOSTS: 'Linkdesk.Internal, 10.0.0.5,::1' }).allowedHosts).toEqual(['linkdesk.internal', '10.0.0.5', '[::1]']);
    // A port given with a name is dropped: names are what a rebinding attack changes.
    expect(loadConfig({ LINKDESK_ALLOWED_HOSTS: 'linkdesk.internal:8080,[::1]:8080' }).allowedHosts).toEqual(['linkdesk.internal', '[::1]']);
  });
});

describe('no answer is kept by a cache', () => {
  it('every /api and /bff answer says Cache-Control: no-store, errors included', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    const paths = ['/bff/users', '/bff/audit/verify', '/bff/audit', '/bff/audit.csv', '/bff/meta', '/bff/operations', '/bff/session', '/bff/webhooks', '/bff/sim/', `/bff/links/${link.id}/activity`, '/api/links/?page_size=1', `/api/links/${link.id}/`, '/api/links/nope/', '/bff/nothing'];
    for (const path of paths) {
      const response = await stack.request(path);
      expect([path, response.headers.get('cache-control')]).toEqual([path, 'no-store']);
    }
    const anonymous = await stack.anonymous('/bff/users');
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
  });
});

describe('external_id has a maximum length', () => {
  it('refuses a 10 KB external_id before anything goes to Belvo, in a registration and in a filter', async () => {
    stack = await createTestStack();
    const long = 'a'.repeat(10 * 1024);
    const registration = await stack.as('qa')('/api/links/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ institution: 'erebor_mx_retail', username: 'user_valid', password: 'pass_valid', external_id: long }),
    });
    expect(registration.status).toBe(400);
    expect(await registration.json()).toEqual([expect.objectContaining({ field: 'external_id' })]);
    expect((await stack.request(`/api/links/?external_id=${long}`)).status).toBe(400);
    expect((await stack.request(`/api/links/?external_id=${'a'.repeat(128)}`)).status).toBe(200);
    expect(stack.sim.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });
});
