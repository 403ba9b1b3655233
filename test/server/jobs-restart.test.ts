import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src/contract/bff/jobs.ts';
import { createJobRunner } from '../../src/server/background/job-runner.ts';
import { defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createBelvoClient } from '../../src/server/belvo/client.ts';
import { createRateLimiter, withRateLimit } from '../../src/server/belvo/rate-limiter.ts';
import { createServices } from '../../src/server/services/services.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { createIndexSync } from '../../src/server/background/index-sync.ts';
import { createStores } from '../../src/server/store/stores.ts';
import { defaultIndexConfig } from '../../src/server/config.ts';
import { createTestStack, testAuditKey, type TestStack } from '../support/stack.ts';

let stack: TestStack;
let dir: string;
afterEach(async () => {
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const never = new Promise<never>(() => {});

/**
 * A process that dies mid-job: its Belvo request for the second DELETE either reaches Belvo
 * (`afterSending`) or not, and the process never hears back. Its limiter lets two background
 * requests go per window, so the last two items are still waiting for their turn (and `queued`)
 * when it dies. A second process over the same database, with its own rate limiter as a new
 * process has, talking to the same Belvo, then runs the job to the end.
 */
async function crashMidJob(mode: 'async' | 'sync', afterSending: boolean) {
  dir = mkdtempSync(join(tmpdir(), 'linkdesk-jobs-'));
  const file = join(dir, 'linkdesk.sqlite');
  let deletes = 0;
  stack = await createTestStack({
    db: await openDatabase(file),
    rateLimit: { limit: 3, windowMs: 30_000, reserveForInteractive: 1 },
    beforeBelvo: async (request) => {
      if (request.method !== 'DELETE') return;
      deletes += 1;
      if (deletes === 2) {
        if (afterSending) await stack.sim.fetch(request);
        return never;
      }
    },
  });
  // With the index synced a job spends one request per link, not a look-up before each.
  // (The sync shares the small limiter: time moves on until it is through.)
  let synced = false;
  const syncing = stack.indexSync.syncNow().then(() => (synced = true));
  while (!synced) {
    stack.clock.advance(30_001);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await syncing;
  const ids = stack.sim.links().filter((link) => link.status === 'valid').slice(0, 4).map((link) => link.id);
  const created = (await (await stack.request('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'delete', mode, link_ids: ids }) })).json()) as Job;
  // A fresh window: whatever the sync used has aged out.
  stack.clock.advance(30_001);
  stack.jobRunner.start();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const before = (await (await stack.request(`/bff/jobs/${created.id}`)).json()) as Job;
  // One answered, one in Belvo's hands (or lost on the way), two waiting for a slot: not sent.
  expect(before.items?.map((item) => item.state)).toEqual(['done', 'sending', 'queued', 'queued']);
  // The process is gone: nothing of it sends anything any more, and its database connection is
  // closed (two live connections to one SQLite file in one process would wait on each other with
  // the event loop blocked; two processes each have their own).
  stack.services.bulkJobs.halt();
  await stack.db.destroy();

  // The second process: new stores, services, limiter and runner over the same file; the same Belvo.
  const db = await openDatabase(file);
  const stores = createStores(db, stack.clock, { auditKey: testAuditKey });
  const belvo = withRateLimit(
    createBelvoClient({ baseUrl: 'http://belvo-sim.test', ...defaultSimCredentials, timeoutMs: 5_000, fetch: (input, init) => stack.sim.fetch(input, init) }),
    createRateLimiter({ clock: stack.clock, limit: 80, windowMs: 30_000, reserveForInteractive: 20 }),
    stack.clock,
  );
  const services = createServices({
    belvo,
    clock: stack.clock,
    stores,
    events: stack.events,
    logger: stack.logger,
    // Its own index sync over its own stores (not started: the file already holds a completed sync).
    indexSync: createIndexSync({ belvo, store: stores.linkIndex, clock: stack.clock, logger: stack.logger, intervalMs: defaultIndexConfig.syncIntervalMs, incrementalMs: defaultIndexConfig.incrementalIntervalMs }),
    index: defaultIndexConfig,
  });
  const runner = createJobRunner({ bulkJobs: services.bulkJobs, events: stack.events, clock: stack.clock, logger: stack.logger });
  runner.start();
  // Synchronous deletes wait for the shared five-a-minute budget: time moves on until the job ends.
  for (let minute = 0; minute < 10; minute += 1) {
    const found = await services.bulkJobs.get(created.id);
    if (!found.ok || found.body.state === 'done') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
    stack.clock.advance(60_001);
  }
  await runner.idle();
  await runner.stop();
  services.bulkJobs.close();
  services.linkIndex.close();
  const after = await services.bulkJobs.get(created.id);
  await db.destroy();
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

  it('never sends a synchronous delete twice either: one that may not have reached Belvo is left to a person as outcome unknown', async () => {
    const { job, deletesPerLink } = await crashMidJob('sync', false);
    expect(deletesPerLink).toEqual([1, 0, 1, 1]);
    expect(job.items?.map((item) => item.state)).toEqual(['done', 'outcome_unknown', 'done', 'done']);
    expect(job.items?.[1]?.message).toContain('Check the link, then delete it again if it is still there');
  });
});
