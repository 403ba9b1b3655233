import { afterEach, describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import type { OperationsState } from '../../src/contract/bff/operations.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const json = { 'content-type': 'application/json' };
const post = (s: TestStack, body: unknown) => s.request('/api/links/', { method: 'POST', headers: json, body: typeof body === 'string' ? body : JSON.stringify(body) });
const patch = (s: TestStack, body: unknown) => s.request('/api/links/', { method: 'PATCH', headers: json, body: typeof body === 'string' ? body : JSON.stringify(body) });
const register = (s: TestStack, username: string) => post(s, { institution: 'heimdall_mx_retail', username, password: 'pass_valid' });

describe('MFA through the proxy', () => {
  it('passes a 428 through whole and resumes it with PATCH', async () => {
    stack = await createTestStack();
    const response = await register(stack, 'mfa_numeric');
    expect(response.status).toBe(428);
    const body = (await response.json()) as { session: string; link: string }[];
    expect(body).toEqual([
      {
        code: 'token_required',
        message: 'A MFA token is required by the institution to login',
        request_id: expect.stringMatching(/^[a-f0-9]{32}$/),
        session: expect.stringMatching(/^[a-f0-9]{32}$/),
        expiry: '180',
        link: expect.any(String),
        token_generation_data: { instructions: 'Use this code to generate the token', type: 'numeric', value: expect.stringMatching(/^\d{6}$/), expects_user_input: true },
      },
    ]);
    const wrong = await patch(stack, { session: body[0]?.session, link: body[0]?.link, token: '123' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual([expect.objectContaining({ code: 'invalid_token' })]);
    const done = await patch(stack, { session: body[0]?.session, link: body[0]?.link, token: '111111' });
    expect(done.status).toBe(201);
    expect(((await done.json()) as Link).status).toBe('valid');
  });

  it('starts the refresh cooldown when a refresh’s 428 is resumed', async () => {
    stack = await createTestStack();
    const link = stack.sim.links().find((candidate) => candidate.status === 'token_required') as Link;
    const [challenge] = (await (await stack.request(`/api/links/${link.id}/refresh/`, { method: 'POST' })).json()) as { session: string }[];
    stack.clock.advance(5_000);
    expect((await patch(stack, { session: challenge?.session, link: link.id, token: '111111' })).status).toBe(201);
    const state = (await (await stack.request('/bff/operations')).json()) as OperationsState;
    expect(state.cooldowns).toEqual([{ link_id: link.id, ends_at: Date.parse('2026-11-25T12:10:05Z'), source: 'linkdesk' }]);
  });

  it.each([
    [{ session: 'a'.repeat(32) }, 'link', 'required'],
    [{ session: 'XYZ', link: '00000000-0000-4000-8000-000000000000' }, 'session', 'invalid'],
    [{ session: 'a'.repeat(32), link: '00000000-0000-4000-8000-000000000000', token: 111111 }, 'token', 'invalid_type'],
    [{ session: 'a'.repeat(32), link: '00000000-0000-4000-8000-000000000000', save_data: 'yes' }, 'save_data', 'invalid_type'],
    [{ session: 'a'.repeat(32), link: '00000000-0000-4000-8000-000000000000', extra: 1 }, 'extra', 'unknown_field'],
  ])('rejects the resume body %j on %s before Belvo', async (body, field, code) => {
    stack = await createTestStack();
    const response = await patch(stack, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    expect(stack.sim.requests).toHaveLength(0);
  });

  it.each(['', 'not json', '[]', 'null', '"text"'])('rejects the body %j with 400', async (body) => {
    stack = await createTestStack();
    expect((await post(stack, body)).status).toBe(400);
    expect((await patch(stack, body)).status).toBe(400);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('rejects registration fields Belvo does not take, wrong types, and a certificate without its key', async () => {
    stack = await createTestStack();
    const unknown = await post(stack, { institution: 'erebor_mx_retail', username: 'u', password: 'p', admin: true });
    expect(await unknown.json()).toEqual([expect.objectContaining({ field: 'admin', code: 'unknown_field' })]);
    const typed = await post(stack, { institution: 'erebor_mx_retail', username: 42 });
    expect(await typed.json()).toEqual([expect.objectContaining({ field: 'username', code: 'invalid_type', message: 'username must be a string.' })]);
    const half = await post(stack, { institution: 'erebor_mx_retail', username: 'u', password: 'p', certificate: 'QUJD' });
    expect(await half.json()).toEqual([expect.objectContaining({ field: 'private_key' })]);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('refuses registration against Belvo production, before Belvo, but still resumes existing links', async () => {
    stack = await createTestStack({ mode: 'production' });
    const refused = await register(stack, 'mfa_numeric');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([
      expect.objectContaining({ code: 'forbidden', message: 'Linkdesk does not register links against Belvo production.' }),
    ]);
    const link = stack.sim.links().find((candidate) => candidate.status === 'token_required') as Link;
    const [challenge] = (await (await stack.request(`/api/links/${link.id}/refresh/`, { method: 'POST' })).json()) as { session: string }[];
    expect((await patch(stack, { session: challenge?.session, link: link.id, token: '111111' })).status).toBe(201);
    expect(stack.sim.requests.filter((request) => request.route === 'POST /api/links/')).toHaveLength(0);
  });

  it('never puts a password or token in a response or a log line', async () => {
    stack = await createTestStack();
    const password = 'pass_valid';
    const secretToken = 'tok-0f9e8d7c6b5a';
    const response = await register(stack, 'mfa_inputless');
    const [challenge] = (await response.json()) as { session: string; link: string }[];
    const wrong = await patch(stack, { session: challenge?.session, link: challenge?.link, token: secretToken });
    const wrongText = await wrong.text();
    const typed = await post(stack, { institution: 'erebor_mx_retail', username: 'u', password: { nested: secretToken } });
    const all = `${wrongText}${await typed.text()}${stack.logLines.join('\n')}`;
    expect(all).not.toContain(secretToken);
    expect(stack.logLines.join('\n')).not.toContain(password);
  });
});
