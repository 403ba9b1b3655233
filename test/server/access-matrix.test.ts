import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Link } from '../../src/contract/links.ts';
import { roles, type Role } from '../../src/server/store/users.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Every route × every role: allowed (anything but 401/403) or 403 in Belvo's shape; anonymous → 401.
 * A refused request never reaches the simulator.
 */
let stack: TestStack;
let link: Link;
beforeAll(async () => {
  stack = await createTestStack();
  link = stack.sim.links().find((candidate) => candidate.status === 'valid') as Link;
});
afterAll(() => stack.close());

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface Route {
  name: string;
  method: string;
  path: () => string;
  init?: () => RequestInit;
  allowed: Role[];
  reachesBelvo: boolean;
}

const routes: Route[] = [
  { name: 'list links', method: 'GET', path: () => '/api/links/?page_size=1', allowed: [...roles], reachesBelvo: true },
  { name: 'read a link', method: 'GET', path: () => `/api/links/${link.id}/`, allowed: [...roles], reachesBelvo: true },
  { name: 'delete a link', method: 'DELETE', path: () => '/api/links/00000000-0000-4000-8000-000000000000/', allowed: ['support', 'admin'], reachesBelvo: true },
  { name: 'refresh a link', method: 'POST', path: () => '/api/links/00000000-0000-4000-8000-000000000000/refresh/', allowed: ['support', 'admin'], reachesBelvo: true },
  { name: 'register a link', method: 'POST', path: () => '/api/links/', init: () => json({ institution: 'erebor_mx_retail', username: 'user_valid', password: 'pass_valid' }), allowed: ['qa', 'admin'], reachesBelvo: true },
  { name: 'resume MFA', method: 'PATCH', path: () => '/api/links/', init: () => json({ session: 'a'.repeat(32), link: link.id, token: '1' }), allowed: ['support', 'qa', 'admin'], reachesBelvo: true },
  { name: 'operations state', method: 'GET', path: () => '/bff/operations', allowed: [...roles], reachesBelvo: false },
  { name: 'link activity', method: 'GET', path: () => `/bff/links/${link.id}/activity`, allowed: [...roles], reachesBelvo: false },
  { name: 'audit log', method: 'GET', path: () => '/bff/audit', allowed: [...roles], reachesBelvo: false },
  { name: 'audit CSV', method: 'GET', path: () => '/bff/audit.csv', allowed: [...roles], reachesBelvo: false },
  { name: 'list users', method: 'GET', path: () => '/bff/users', allowed: ['admin'], reachesBelvo: false },
  { name: 'add a user', method: 'POST', path: () => '/bff/users', init: () => json({ username: 'x', password: 'short', role: 'viewer' }), allowed: ['admin'], reachesBelvo: false },
  { name: 'change a user', method: 'PATCH', path: () => '/bff/users/9999', init: () => json({ role: 'viewer' }), allowed: ['admin'], reachesBelvo: false },
  { name: 'remove a user', method: 'DELETE', path: () => '/bff/users/9999', allowed: ['admin'], reachesBelvo: false },
  { name: 'simulator clock', method: 'GET', path: () => '/bff/sim/', allowed: ['qa', 'admin'], reachesBelvo: false },
  { name: 'link index status', method: 'GET', path: () => '/bff/index/status', allowed: [...roles], reachesBelvo: false },
  { name: 'start an index sync', method: 'POST', path: () => '/bff/index/sync', allowed: ['admin'], reachesBelvo: false },
  { name: 'index-backed links', method: 'GET', path: () => '/bff/index/links?status=valid&sort=created_at', allowed: [...roles], reachesBelvo: false },
  { name: 'index CSV', method: 'GET', path: () => '/bff/index/links.csv?orphan=true', allowed: [...roles], reachesBelvo: false },
  { name: 'link health', method: 'GET', path: () => '/bff/health', allowed: [...roles], reachesBelvo: false },
  { name: 'unknown Belvo path', method: 'GET', path: () => '/api/accounts/', allowed: [...roles], reachesBelvo: false },
];

describe.each(routes)('$method $name', (route) => {
  const call = async (who: Role | null) => {
    const init = { method: route.method, ...route.init?.() };
    const response = await (who ? stack.as(who)(route.path(), init) : stack.anonymous(route.path(), init));
    // An admin's index sync runs on after its 202; let it end before the next count of Belvo requests.
    await stack.app.background.indexSync.settled();
    return response;
  };

  it('answers anonymous with 401 and reaches nothing', async () => {
    const before = stack.sim.requests.length;
    const response = await call(null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([expect.objectContaining({ code: 'not_authenticated', request_id: expect.stringMatching(/^[a-f0-9]{32}$/) })]);
    expect(stack.sim.requests.length).toBe(before);
  });

  it.each([...roles])('as %s', async (role) => {
    const before = stack.sim.requests.length;
    const response = await call(role);
    if (route.allowed.includes(role)) {
      expect([401, 403]).not.toContain(response.status);
      if (route.reachesBelvo) expect(stack.sim.requests.length).toBeGreaterThan(before);
    } else {
      expect(response.status).toBe(403);
      const [error] = (await response.json()) as { code: string; message: string }[];
      expect(error?.code).toBe('forbidden');
      expect(error?.message).toContain(`(${role})`);
      expect(stack.sim.requests.length).toBe(before);
    }
  });
});

describe('roles against Belvo production', () => {
  it('keep qa to reading, and nobody registers', async () => {
    const production = await createTestStack({ mode: 'production' });
    const target = production.sim.links()[0] as Link;
    const register = await production.as('qa')('/api/links/', { method: 'POST', ...json({ institution: 'erebor_mx_retail', username: 'u', password: 'p' }) });
    expect(register.status).toBe(403);
    const resume = await production.as('qa')('/api/links/', { method: 'PATCH', ...json({ session: 'a'.repeat(32), link: target.id, token: '1' }) });
    expect(resume.status).toBe(403);
    expect((await resume.json()) as unknown[]).toEqual([expect.objectContaining({ message: "The qa role can complete MFA for links only against the simulator or Belvo's sandbox." })]);
    expect((await production.as('admin')('/api/links/', { method: 'POST', ...json({ institution: 'erebor_mx_retail', username: 'u', password: 'p' }) })).status).toBe(403);
    expect((await production.as('support')('/api/links/', { method: 'PATCH', ...json({ session: 'a'.repeat(32), link: target.id, token: '1' }) })).status).toBe(400);
    expect(production.sim.requests.filter((request) => request.route === 'POST /api/links/')).toHaveLength(0);
    production.close();
  });
});
