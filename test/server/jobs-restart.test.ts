import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/contract/bff/jobs.ts';
import { createJobRunner } from '../../src/server/background/job-runner.ts';
import { createServices } from '../../src/server/services/services.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { createStores } from '../../src/server/store/stores.ts';
import { defaultIndexConfig } from '../../src/server/config.ts';
import { createTestStack, testAuditKey, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let dir: string;
afterEach(() => {
  stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const never = new Promise<never>(() => {});

/**
 * A process that dies mid-job: its Belvo request for the `crashAt`-th DELETE either reaches Belvo
 * (`afterSending`) or not, and the process never hears back. A second process over the same
 * database, talking to the same Belvo, then runs the job to the end.
 */
async function crashMidJob(mode: 'async' | 'sync', afterSending: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'linkdesk-jobs-'));
  const file = join(dir, 'linkdesk.sqlite');
  let deletes = 0;
  let crashed = false;
  stack = await createTestStack({
    db: openDatabase(file),
    beforeBelvo: async (request) => {
      if (crashed || request.method !== 'DELETE') return;
      deletes += 1;
      if (deletes === 2) {
        crashed = true;
        if (afterSending) await stack.sim.fetch(request);
        return never;
      }
    },
  });
  const ids = stack.sim.links().filter((link) => link.status === 'valid').slice(0, 4).map((link) => link.id);
  const created = (await (await stack.request('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'delete', mode, link_ids: ids }) })).json()) as Job;
  stack.jobRunner.start();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const before = (await (await stack.request(`/bff/jobs/${created.id}`)).json()) as Job;
  expect(before.items?.map((item) => item.state)).toEqual(['done', 'sending', 'queued', 'queued']);

  // The second process: new stores, services and runner over the same file; the same Belvo.
  const db = openDatabase(file);
  const stores = createStores(db, stack.clock, { auditKey: testAuditKey });
  const services = createServices({
    belvo: stack.belvoClient,
    clock: stack.clock,
    stores,
    events: stack.events,
    logger: stack.logger,
    indexSync: stack.indexSync,
    index: defaultIndexConfig,
  });
  const runner = createJobRunner({ bulkJobs: services.bulkJobs, events: stack.events, clock: stack.clock, logger: stack.logger });
  runner.start();
  await runner.idle();
  await runner.stop();
  services.bulkJobs.close();
  services.linkIndex.close();
  const after = services.bulkJobs.get(created.id);
  db.close();
  if (!after.ok) throw new Error('job missing after restart');
  const deletesPerLink = ids.map((id) => stack.sim.requests.filter((request) => request.method === 'DELETE' && request.path === `/api/links/${id}/`).length);
  return { job: after.body, deletesPerLink };
}

describe('a restart mid-job', () => {
  it('never sends an async delete twice: an item left sending is looked up, and recorded as unknown while Belvo still has the link', async () => {
    const { job, deletesPerLink } = await crashMidJob('async', true);
    expect(deletesPerLink).toEqual([1, 1, 1, 1]);
    expect(job.state).toBe('done');
    expect(job.items?.map((item) => item.state)).toEqual(['done', 'outcome_unknown', 'done', 'done']);
  });

  it('records a synchronous delete that reached Belvo as done (the link is gone), and sends each link once', async () => {
    const { job, deletesPerLink } = await crashMidJob('sync', true);
    expect(deletesPerLink).toEqual([1, 1, 1, 1]);
    expect(job.items?.map((item) => item.state)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('sends a synchronous delete again when it never reached Belvo (the link is still there)', async () => {
    const { job, deletesPerLink } = await crashMidJob('sync', false);
    expect(deletesPerLink).toEqual([1, 1, 1, 1]);
    expect(job.items?.map((item) => item.state)).toEqual(['done', 'done', 'done', 'done']);
  });
});
