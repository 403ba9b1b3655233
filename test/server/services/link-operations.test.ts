import { afterEach, describe, expect, it } from 'vitest';
import type { Link } from '../../../src/contract/links.ts';
import type { LinkdeskEvent } from '../../../src/contract/bff/events.ts';
import { createTestStack, type TestStack } from '../../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const scheduler = { actor: 'linkdesk (scheduler)', role: null };

describe('link operations without HTTP', () => {
  it('deletes a link for a caller that is not a request: budget, event and audit as for a person', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    const seen: LinkdeskEvent[] = [];
    stack.events.subscribe((event) => seen.push(event));

    const { outcome, shared } = await stack.services.linkOperations.deleteLink({ linkId: link.id, mode: 'sync', actor: scheduler });

    expect(outcome.status).toBe(204);
    expect(shared).toBe(false);
    expect(stack.sim.findLink(link.id)).toBeUndefined();
    expect((await stack.stores.operations.budget()).used).toBe(1);
    expect(seen).toContainEqual({ type: 'link-deleted', link_id: link.id });
    const entries = await stack.stores.audit.list({ link_id: link.id });
    expect(entries.map((entry) => [entry.actor, entry.phase, entry.outcome])).toEqual([
      ['linkdesk (scheduler)', 'result', 'success'],
      ['linkdesk (scheduler)', 'attempt', 'attempted'],
    ]);
    expect(entries[0]?.external_id).toBe(link.external_id);
  });

  it('sends identical refreshes to Belvo once and learns the cooldown', async () => {
    stack = await createTestStack();
    const link = stack.sim.links().find((candidate) => candidate.status === 'valid' && candidate.institution === 'erebor_mx_retail') as Link;
    const refresh = () => stack.services.linkOperations.refreshLink({ linkId: link.id, resources: ['ACCOUNTS'], actor: scheduler });
    const [first, second] = await Promise.all([refresh(), refresh()]);
    expect([first.outcome.status, second.outcome.status]).toEqual([202, 202]);
    expect([first.shared, second.shared].sort()).toEqual([false, true]);
    expect(stack.sim.requests.filter((request) => request.route === 'POST /api/links/{id}/refresh/')).toHaveLength(1);
    expect((await stack.stores.operations.cooldown(link.id))?.source).toBe('linkdesk');
    expect((await refresh()).outcome.status).toBe(409);
  });
});
