import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { auditPageSchema } from '../../src/contract/bff/audit.ts';
import { linkActivitySchema, operationsStateSchema } from '../../src/contract/bff/operations.ts';
import { staffUserListSchema } from '../../src/contract/bff/users.ts';
import { duplicateGroupsPageSchema, healthSchema, indexCsvColumns, indexLinksPageSchema, indexStatusSchema, indexSyncAcceptedSchema } from '../../src/contract/bff/link-index.ts';
import { requestIdPattern } from '../../src/contract/errors.ts';
import { jobListSchema, jobPreviewSchema } from '../../src/contract/bff/jobs.ts';
import { linkSchema, linksPageSchema, type Link } from '../../src/contract/links.ts';
import { roles, type Role } from '../../src/server/store/users.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Every route × every role: an allowed role gets the route's real answer (its status and the shape
 * of its body); anyone else gets 403 in Belvo's shape; anonymous gets 401. A refused request never
 * reaches the simulator.
 */
let stack: TestStack;
let link: Link;
beforeAll(async () => {
  stack = await createTestStack();
  link = stack.sim.links().find((candidate) => candidate.status === 'valid') as Link;
});
afterAll(() => stack.close());

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const unknownLink = '00000000-0000-4000-8000-000000000000';

/** What an allowed call answers: the status, and a schema its JSON body matches (or a check of the text). */
interface Answer {
  status: number;
  body: z.ZodMiniType | ((text: string, response: Response) => void);
}

interface Route {
  name: string;
  method: string;
  path: () => string;
  init?: () => RequestInit;
  allowed: Role[];
  reachesBelvo: boolean;
  answer: Answer;
}

/** Belvo's error array (or Linkdesk's, same shape) whose first item has this code. */
const errorWithCode = (code: string) => z.tuple([z.looseObject({ code: z.literal(code), message: z.string(), request_id: z.string().check(z.regex(requestIdPattern)) })], z.unknown());

const routes: Route[] = [
  { name: 'list links', method: 'GET', path: () => '/api/links/?page_size=1', allowed: [...roles], reachesBelvo: true, answer: { status: 200, body: linksPageSchema } },
  { name: 'read a link', method: 'GET', path: () => `/api/links/${link.id}/`, allowed: [...roles], reachesBelvo: true, answer: { status: 200, body: linkSchema } },
  // An unknown link: the proxy looks it up at Belvo first and passes Belvo's 404 through.
  { name: 'delete a link', method: 'DELETE', path: () => `/api/links/${unknownLink}/`, allowed: ['support', 'admin'], reachesBelvo: true, answer: { status: 404, body: errorWithCode('not_found') } },
  { name: 'refresh a link', method: 'POST', path: () => `/api/links/${unknownLink}/refresh/`, allowed: ['support', 'admin'], reachesBelvo: true, answer: { status: 404, body: errorWithCode('not_found') } },
  { name: 'register a link', method: 'POST', path: () => '/api/links/', init: () => json({ institution: 'erebor_mx_retail', username: 'user_valid', password: 'pass_valid' }), allowed: ['qa', 'admin'], reachesBelvo: true, answer: { status: 201, body: linkSchema } },
  // A session Belvo never opened: Belvo's own answer to resuming it.
  { name: 'resume MFA', method: 'PATCH', path: () => '/api/links/', init: () => json({ session: 'a'.repeat(32), link: link.id, token: '1' }), allowed: ['support', 'qa', 'admin'], reachesBelvo: true, answer: { status: 400, body: errorWithCode('session_expired') } },
  { name: 'operations state', method: 'GET', path: () => '/bff/operations', allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: operationsStateSchema } },
  { name: 'link activity', method: 'GET', path: () => `/bff/links/${link.id}/activity`, allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: linkActivitySchema } },
  { name: 'audit log', method: 'GET', path: () => '/bff/audit', allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: auditPageSchema } },
  {
    name: 'audit CSV',
    method: 'GET',
    path: () => '/bff/audit.csv',
    allowed: [...roles],
    reachesBelvo: false,
    answer: {
      status: 200,
      body: (text, response) => {
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(text.split('\r\n')[0]).toBe('id,at,actor,role,action,phase,outcome,link_id,external_id,belvo_request_id,correlation_id,detail');
      },
    },
  },
  { name: 'list users', method: 'GET', path: () => '/bff/users', allowed: ['admin'], reachesBelvo: false, answer: { status: 200, body: staffUserListSchema } },
  // Refused for what it asks, not for who asks: the role check let it through.
  { name: 'add a user', method: 'POST', path: () => '/bff/users', init: () => json({ username: 'x', password: 'short', role: 'viewer' }), allowed: ['admin'], reachesBelvo: false, answer: { status: 400, body: errorWithCode('invalid_username') } },
  { name: 'change a user', method: 'PATCH', path: () => '/bff/users/9999', init: () => json({ role: 'viewer' }), allowed: ['admin'], reachesBelvo: false, answer: { status: 404, body: errorWithCode('not_found') } },
  { name: 'remove a user', method: 'DELETE', path: () => '/bff/users/9999', allowed: ['admin'], reachesBelvo: false, answer: { status: 404, body: errorWithCode('not_found') } },
  { name: 'simulator scenarios', method: 'GET', path: () => '/bff/sim/scenarios', allowed: ['qa', 'admin'], reachesBelvo: false, answer: { status: 200, body: z.object({ password: z.string(), institutions: z.array(z.string()), scenarios: z.array(z.object({ username: z.string(), summary: z.string(), expiry_seconds: z.nullable(z.number()) })) }) } },
  { name: 'link index status', method: 'GET', path: () => '/bff/index/status', allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: indexStatusSchema } },
  // 202 at once; the sync it starts reads Belvo in the background.
  { name: 'start an index sync', method: 'POST', path: () => '/bff/index/sync', allowed: ['admin'], reachesBelvo: false, answer: { status: 202, body: indexSyncAcceptedSchema } },
  { name: 'index-backed links', method: 'GET', path: () => '/bff/index/links?status=valid&sort=created_at', allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: indexLinksPageSchema } },
  {
    name: 'index CSV',
    method: 'GET',
    path: () => '/bff/index/links.csv?orphan=true',
    allowed: [...roles],
    reachesBelvo: false,
    answer: {
      status: 200,
      body: (text, response) => {
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(text.split('\r\n')[0]).toBe(indexCsvColumns.join(','));
      },
    },
  },
  { name: 'link health', method: 'GET', path: () => '/bff/health', allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: healthSchema } },
  {
    name: 'duplicate groups, paged',
    method: 'GET',
    path: () => '/bff/health/duplicates?page=1&page_size=5',
    allowed: [...roles],
    reachesBelvo: false,
    answer: { status: 200, body: duplicateGroupsPageSchema },
  },
  // A dry run: the preview stores nothing and asks Belvo nothing.
  { name: 'preview a bulk delete', method: 'POST', path: () => '/bff/jobs', init: () => json({ action: 'delete', link_ids: [link.id], dry_run: true }), allowed: ['support', 'admin'], reachesBelvo: false, answer: { status: 200, body: jobPreviewSchema } },
  { name: 'preview a bulk refresh', method: 'POST', path: () => '/bff/jobs', init: () => json({ action: 'refresh', link_ids: [link.id], dry_run: true }), allowed: ['support', 'admin'], reachesBelvo: false, answer: { status: 200, body: jobPreviewSchema } },
  { name: 'list bulk jobs', method: 'GET', path: () => '/bff/jobs', allowed: [...roles], reachesBelvo: false, answer: { status: 200, body: jobListSchema } },
  { name: 'read a bulk job', method: 'GET', path: () => `/bff/jobs/${unknownLink}`, allowed: [...roles], reachesBelvo: false, answer: { status: 404, body: errorWithCode('not_found') } },
  { name: 'bulk job results', method: 'GET', path: () => `/bff/jobs/${unknownLink}/results.csv`, allowed: [...roles], reachesBelvo: false, answer: { status: 404, body: errorWithCode('not_found') } },
  // Controlling a job that is not there: refused by role first, then not found.
  { name: 'pause a bulk job', method: 'POST', path: () => `/bff/jobs/${unknownLink}/pause`, allowed: ['support', 'admin'], reachesBelvo: false, answer: { status: 404, body: errorWithCode('not_found') } },
  { name: 'unknown Belvo path', method: 'GET', path: () => '/api/accounts/', allowed: [...roles], reachesBelvo: false, answer: { status: 404, body: errorWithCode('not_found') } },
];

describe.each(routes)('$method $name', (route) => {
  const call = async (who: Role | null) => {
    const init = { method: route.method, ...route.init?.() };
    const response = await (who ? stack.as(who)(route.path(), init) : stack.anonymous(route.path(), init));
    // An admin's index sync runs on after its 202; let it end before the next count of Belvo requests.
    await stack.indexSync.settled();
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
      const text = await response.text();
      expect(response.status, text.slice(0, 300)).toBe(route.answer.status);
      const { body } = route.answer;
      if (typeof body === 'function') body(text, response);
      else {
        const checked = body.safeParse(JSON.parse(text));
        expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues.slice(0, 3))).toBe(true);
      }
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
    await production.close();
  });
});
