import { afterEach, describe, expect, it } from 'vitest';
import { defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const secretId = defaultSimCredentials.secretId;
const secretPassword = defaultSimCredentials.secretPassword;
const basic = Buffer.from(`${secretId}:${secretPassword}`).toString('base64');

describe('the Belvo keys', () => {
  it('go upstream as Basic auth, replacing whatever the browser sent', async () => {
    stack = await createTestStack();
    await stack.request('/api/links/?page_size=1', {
      headers: { authorization: 'Bearer browser-token', cookie: `${stack.cookieFor('viewer')}; other=1`, 'x-forwarded-for': '1.2.3.4' },
    });
    const upstream = stack.belvoCalls[0];
    expect(upstream?.headers.get('authorization')).toBe(`Basic ${basic}`);
    expect(upstream?.headers.get('cookie')).toBeNull();
    expect(upstream?.headers.get('x-forwarded-for')).toBeNull();
    expect(stack.sim.requests[0]?.authenticated).toBe(true);
  });

  it('never appear in a response, success or error, nor in a log line', async () => {
    stack = await createTestStack();
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '500', remaining: 1 });
    const responses = [
      await stack.request('/api/links/?page_size=3'),
      await stack.request('/api/links/'),
      await stack.request('/api/links/?status=bad'),
      await stack.request('/api/nowhere/'),
      await stack.request(`/api/links/${stack.sim.links()[0]?.id}/`),
      await stack.request('/bff/meta'),
    ];
    for (const response of responses) {
      const text = `${[...response.headers].join('\n')}\n${await response.text()}`;
      for (const secret of [secretPassword, basic]) expect(text).not.toContain(secret);
    }
    const logs = stack.logLines.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [secretPassword, basic, 'Basic ']) expect(logs).not.toContain(secret);
  });

  it('turns Belvo rejecting them into a 502 that tells the operator what to check', async () => {
    stack = await createTestStack({ sim: { credentials: { secretId: 'other', secretPassword: 'other-password' } } });
    const response = await stack.request('/api/links/');
    expect(response.status).toBe(502);
    const [error] = (await response.json()) as { code: string; message: string }[];
    expect(error?.code).toBe('belvo_authentication_failed');
    expect(error?.message).toContain('BELVO_SECRET_ID');
    expect(error?.message).not.toContain(secretPassword);
  });
});

describe('widget access tokens (reconnect links)', () => {
  it('never appear in a log line, even when the simulator’s widget page is opened with one', async () => {
    stack = await createTestStack();
    const broken = stack.sim.links().find((link) => link.status === 'invalid');
    const response = await stack.as('support')(`/bff/links/${broken?.id}/reconnect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const url = new URL(((await response.json()) as { url: string }).url);
    const access = url.searchParams.get('access_token') ?? '';
    expect(access).not.toBe('');
    await stack.anonymous(`${url.pathname}${url.search}`);
    const logs = stack.logLines.join('\n');
    expect(logs).toContain('access_token=[redacted]');
    expect(logs).not.toContain(access);
  });
});

describe('request logs', () => {
  it('log method, path, status, duration and Belvo’s request_id as JSON', async () => {
    stack = await createTestStack();
    const response = await stack.request('/api/links/00000000-0000-4000-8000-000000000000/');
    const [error] = (await response.json()) as { request_id: string }[];
    const line = stack.logLines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === 'request');
    expect(line).toMatchObject({
      method: 'GET',
      path: '/api/links/00000000-0000-4000-8000-000000000000/',
      status: 404,
      belvo_request_id: error?.request_id,
    });
    expect(line?.duration_ms).toEqual(expect.any(Number));
  });
});
