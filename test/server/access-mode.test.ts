import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/contract/bff/audit.ts';
import type { Link } from '../../src/contract/links.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const auditOf = async (s: TestStack) => ((await (await s.request('/bff/audit')).json()) as { entries: AuditEntry[] }).entries;

describe('PATCH /api/links/{id}/ (access mode, a support action)', () => {
  it('lets support change a link from single to recurrent, and records who, which link and both modes', async () => {
    stack = await createTestStack();
    const link = stack.sim.links().find((candidate) => candidate.access_mode === 'single') as Link;
    const response = await stack.as('support')(`/api/links/${link.id}/`, { method: 'PATCH', ...json({ access_mode: 'recurrent' }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: link.id, access_mode: 'recurrent' });
    expect(stack.sim.findLink(link.id)?.access_mode).toBe('recurrent');
    const records = (await auditOf(stack)).filter((entry) => entry.action === 'link.access_mode');
    expect(records.map((entry) => [entry.actor, entry.phase, entry.outcome, entry.link_id])).toEqual([
      ['support', 'result', 'success', link.id],
      ['support', 'attempt', 'attempted', link.id],
    ]);
    expect(records[0]?.detail).toMatchObject({ status: 200, from: 'single' });
  });

  it.each(['viewer', 'qa'] as const)('refuses %s with 403, and Belvo never hears of it', async (role) => {
    stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    const response = await stack.as(role)(`/api/links/${link.id}/`, { method: 'PATCH', ...json({ access_mode: 'single' }) });
    expect(response.status).toBe(403);
    expect(stack.belvoCalls).toHaveLength(0);
  });

  it('takes only access_mode, single or recurrent', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    for (const body of [{ access_mode: 'weekly' }, { access_mode: 'single', stale_in: '90d' }, {}]) {
      const response = await stack.as('admin')(`/api/links/${link.id}/`, { method: 'PATCH', ...json(body) });
      expect(response.status).toBe(400);
    }
    expect(stack.belvoCalls).toHaveLength(0);
  });
});
