import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdPattern } from '../../src/contract/errors.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Whatever a browser (or an attacker with a session) sends, the proxy only ever asks Belvo the
 * allow-listed questions, never hands Belvo the browser's Cookie or Authorization, and answers
 * nonsense with a 4xx in Belvo's shape — never a crash. 1,000 runs each.
 */
const numRuns = 1_000;
const allowedRoutes = new Set([
  'GET /api/links/',
  'GET /api/links/{id}/',
  'DELETE /api/links/{id}/',
  'POST /api/links/{id}/refresh/',
  'POST /api/links/',
  'PATCH /api/links/',
  'PATCH /api/links/{id}/',
  'POST /api/token/',
]);

let stack: TestStack;
beforeAll(async () => {
  stack = await createTestStack();
});
afterAll(() => stack.close());

const someLinkId = () => stack.sim.links()[7]?.id ?? '';

const segment = fc.oneof(
  fc.constantFrom('api', 'links', 'refresh', 'bff', 'sim', 'accounts', 'token', 'users', 'audit', 'webhooks', '..', '.', '', '%2e%2e', '%2F', '%5c', '\\', '%0d%0a', 'http:', 'évil', '𝔘', '%00', '?', '#'),
  fc.string({ maxLength: 12 }),
  fc.constant('LINK_ID'),
);
const pathArbitrary = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('/api/links/', '/api/links/LINK_ID/', '/api/links/LINK_ID/refresh/', '//api/links/', '/api//links/', '/api/links/LINK_ID/../../accounts/', '/http://evil.example/api/links/', '/api/links/LINK_ID%2F..%2F..%2Faccounts/'),
);
const queryArbitrary = fc.dictionary(
  fc.oneof(fc.constantFrom('page', 'page_size', 'status', 'external_id', 'fields', 'omit', 'id', 'status__in', 'url', 'redirect'), fc.string({ maxLength: 8 })),
  fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('valid', '1000', '-1', '0', 'http://evil.example', '../../', '%00', 'x'.repeat(300))),
  { maxKeys: 4 },
);
const headerArbitrary = fc.dictionary(
  fc.constantFrom('authorization', 'cookie', 'x-belvo-request-mode', 'host', 'x-forwarded-host', 'x-forwarded-for', 'content-type', 'origin', 'x-anything'),
  fc.constantFrom('Bearer stolen', 'Basic c3RvbGVuOnN0b2xlbg==', 'session=evil', 'async', 'ASYNC', 'evil.example', 'application/json', 'text/plain', ''),
  { maxKeys: 4 },
);
// TRACE and CONNECT cannot even be expressed as a fetch Request; the live server test covers them.
const methodArbitrary = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'get');

describe('whatever arrives, only allow-listed requests leave', () => {
  it('never asks Belvo anything outside the allow-list, never forwards Cookie or Authorization, never 500s', async () => {
    await fc.assert(
      fc.asyncProperty(methodArbitrary, pathArbitrary, queryArbitrary, headerArbitrary, fc.option(fc.string({ maxLength: 200 })), async (method, rawPath, query, extraHeaders, body) => {
        const path = rawPath.replaceAll('LINK_ID', someLinkId());
        const search = new URLSearchParams(query).toString();
        let url: string;
        try {
          // As a server sees a request line: the path is appended to its own origin, never resolved.
          url = new URL(`http://linkdesk.test${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`).href;
          if (new URL(url).origin !== 'http://linkdesk.test') return;
        } catch {
          return;
        }
        const before = stack.sim.requests.length;
        const calls = stack.belvoCalls.length;
        const headers = new Headers();
        for (const [name, value] of Object.entries(extraHeaders)) {
          if (name === 'cookie') headers.set(name, `${stack.cookieFor('admin')}; ${value}`);
          else if (name !== 'authorization' || value) headers.set(name, value);
        }
        const response = await stack.request(url, { method, headers, body: ['GET', 'HEAD'].includes(method.toUpperCase()) || body === null ? undefined : body });
        expect(response.status).toBeLessThan(500 + (response.status === 502 || response.status === 504 ? 100 : 0));
        if (response.status >= 400 && method !== 'HEAD') {
          const errors = (await response.json()) as { code: string; request_id: string }[];
          expect(Array.isArray(errors)).toBe(true);
          expect(errors[0]?.request_id).toMatch(requestIdPattern);
        }
        for (const received of stack.sim.requests.slice(before)) {
          expect(allowedRoutes.has(received.route)).toBe(true);
          expect(received.path).toMatch(/^\/api\/links\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/(refresh\/)?)?$/);
          expect(received.headers.cookie).toBeUndefined();
          expect(received.authenticated).toBe(true);
          expect(received.headers['x-forwarded-host']).toBeUndefined();
          expect(received.headers['x-forwarded-for']).toBeUndefined();
        }
        for (const call of stack.belvoCalls.slice(calls)) expect(new URL(call.url).origin).toBe('http://belvo-sim.test');
      }),
      { numRuns },
    );
  });
});

describe('bodies that are not what an endpoint takes', () => {
  const targets = () => [
    { method: 'POST', path: '/api/links/' },
    { method: 'PATCH', path: '/api/links/' },
    { method: 'POST', path: `/api/links/${someLinkId()}/refresh/` },
    { method: 'POST', path: '/bff/session' },
    { method: 'POST', path: '/bff/users' },
  ];

  it('answer wrong types and odd JSON with a clear 4xx, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.jsonValue({ maxDepth: 3 }), async (index, value) => {
        const target = targets()[index];
        if (!target) return;
        const response = await stack.request(target.path, { method: target.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(((await response.json()) as { message: string }[])[0]?.message.length).toBeGreaterThan(5);
      }),
      { numRuns },
    );
  });

  it('answer text that is not JSON with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.string({ maxLength: 300 }), async (index, text) => {
        const target = targets()[index];
        if (!target) return;
        let isJson = true;
        try {
          JSON.parse(text);
        } catch {
          isJson = false;
        }
        const response = await stack.request(target.path, { method: target.method, headers: { 'content-type': 'application/json' }, body: text });
        expect(response.status).toBeLessThan(500);
        if (!isJson && text.trim() !== '' && target.path.endsWith('/refresh/')) expect(response.status).toBe(400);
        if (!isJson && !target.path.endsWith('/refresh/')) expect(response.status).toBe(400);
      }),
      { numRuns },
    );
  });

  it('answer a huge body with 413 before reading it all', async () => {
    const huge = JSON.stringify({ institution: 'erebor_mx_retail', username: 'x'.repeat(2_000_000) });
    for (const target of targets()) {
      const response = await stack.request(target.path, { method: target.method, headers: { 'content-type': 'application/json' }, body: huge });
      expect(response.status).toBe(413);
    }
    expect(stack.sim.requests.filter((request) => request.body && request.body.length > 100_000)).toHaveLength(0);
  });
});

describe('documented list parameters', () => {
  it('caps any whole page_size at 1000 and forwards omit/fields as given', async () => {
    const fieldName = fc.constantFrom('id', 'status', 'institution', 'external_id', 'created_at', 'access_mode');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.uniqueArray(fieldName, { minLength: 1, maxLength: 3 }), fc.constantFrom('omit', 'fields'), async (pageSize, names, key) => {
        const calls = stack.belvoCalls.length;
        const response = await stack.request(`/api/links/?page_size=${pageSize}&${key}=${names.join(',')}`);
        expect(response.status).toBe(200);
        const sent = new URL(stack.belvoCalls[calls]?.url ?? '').searchParams;
        expect(Number(sent.get('page_size'))).toBe(Math.min(pageSize, 1000));
        expect(sent.get(key)).toBe(names.join(','));
      }),
      { numRuns: Math.min(numRuns, 40) },
    );
  });
});
