import { afterEach, describe, expect, it } from 'vitest';
import type { Job, JobPreview } from '../../src/contract/bff/jobs.ts';
import type { Link } from '../../src/contract/links.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const errorOf = async (response: Response) => ((await response.json()) as { code: string; message: string; field?: string }[])[0];
const post = (s: TestStack, body: unknown, as: ReturnType<TestStack['as']> = s.request) =>
  as('/bff/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const links = (s: TestStack, n: number, predicate: (link: Link) => boolean = (link) => link.status === 'valid') => s.sim.links().filter(predicate).slice(0, n);
const deletesOf = (s: TestStack, id: string) => s.sim.requests.filter((request) => request.method === 'DELETE' && request.path === `/api/links/${id}/`);
const job = async (s: TestStack, id: string) => (await (await s.request(`/bff/jobs/${id}`)).json()) as Job;

async function startJob(s: TestStack, body: Record<string, unknown>): Promise<Job> {
  const response = await post(s, body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Job;
}

describe('creating a job', () => {
  it('refuses bodies that are not one clear selection', async () => {
    stack = await createTestStack({ maxLinksPerJob: 3 });
    const [a, b, c, d] = links(stack, 4).map((link) => link.id);
    const cases: [unknown, string, string][] = [
      [{ action: 'delete' }, 'invalid', 'exactly one'],
      [{ action: 'delete', link_ids: [a], filter: { status: 'valid' } }, 'invalid', 'exactly one'],
      [{ action: 'refresh', mode: 'async', link_ids: [a] }, 'invalid', 'mode applies only to deletes'],
      [{ action: 'delete', resources: ['ACCOUNTS'], link_ids: [a] }, 'invalid', 'resources applies only to refreshes'],
      [{ action: 'delete', link_ids: [] }, 'invalid', 'at least one'],
      [{ action: 'delete', link_ids: [a, b, c, d] }, 'too_many_links', 'at most 3 links'],
      [{ action: 'delete', filter: { status: 'valid' } }, 'index_not_ready', 'Wait for the sync to finish, or select the links on the page'],
      [{ action: 'archive', link_ids: [a] }, 'invalid', 'delete or refresh'],
    ];
    for (const [body, code, message] of cases) {
      const response = await post(stack, body);
      expect(response.status === 400 || response.status === 409, JSON.stringify(body)).toBe(true);
      const error = await errorOf(response);
      expect(error, JSON.stringify(body)).toMatchObject({ code });
      expect(error?.message).toContain(message);
    }
    // Duplicates count once: three distinct links fit a job of three.
    expect((await post(stack, { action: 'delete', link_ids: [a, b, c, a, b], dry_run: true })).status).toBe(200);
    expect(stack.sim.requests).toHaveLength(0);
  });

  it('estimates the time at the background pace, counting a look-up for each link the index does not have', async () => {
    // Belvo's default budget: 80 requests every 30 s, 20 kept for people, so 60 for a job.
    const rateLimit = { limit: 80, windowMs: 30_000, reserveForInteractive: 20 };
    stack = await createTestStack({ rateLimit });
    const ids = links(stack, 240, () => true).map((link) => link.id);
    const estimate = async (body: Record<string, unknown>) => ((await (await post(stack, { ...body, dry_run: true })).json()) as JobPreview).estimated_minutes;
    // No index yet: each link is looked up, then deleted: 480 requests at 120 a minute.
    expect(await estimate({ action: 'delete', link_ids: ids })).toBe(4);
    // Five synchronous deletions a minute, whatever the pace allows.
    expect(await estimate({ action: 'delete', mode: 'sync', link_ids: ids.slice(0, 20) })).toBe(4);
    let synced = false;
    const syncing = stack.indexSync.syncNow().then(() => (synced = true));
    while (!synced) {
      stack.clock.advance(30_001);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await syncing;
    // The index has them: one request each.
    expect(await estimate({ action: 'delete', link_ids: ids })).toBe(2);
  });

  it('previews without calling Belvo, with skip reasons and the confirmation phrase', async () => {
    stack = await createTestStack();
    await stack.indexSync.syncNow();
    const before = stack.sim.requests.length;
    const [fresh, cooled] = links(stack, 2, (link) => link.status === 'valid' && link.institution.endsWith('_retail'));
    const invalid = stack.sim.links().find((link) => link.status === 'invalid') as Link;
    expect((await stack.request(`/api/links/${cooled?.id}/refresh/`, { method: 'POST' })).status).toBe(202);
    const sentByClick = stack.sim.requests.length;

    const response = await post(stack, { action: 'refresh', link_ids: [fresh?.id, cooled?.id, invalid.id, '00000000-0000-4000-8000-000000000000'], dry_run: true });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as JobPreview;
    expect(preview).toMatchObject({ dry_run: true, total: 4, will_send: 1, will_skip: 3, confirmation: 'refresh 1 link', max_links_per_job: 1000 });
    expect(preview.items.map((item) => [item.decision, item.reason])).toEqual([
      ['send', null],
      ['skip', 'in_cooldown'],
      ['skip', 'status_not_refreshable'],
      ['skip', 'not_found'],
    ]);
    expect(stack.sim.requests.length).toBe(sentByClick);
    expect(sentByClick).toBeGreaterThan(before);

    // A link another open job holds, and a link already being deleted.
    const [held, deleting, third] = links(stack, 5).slice(2);
    await startJob(stack, { action: 'delete', link_ids: [held?.id] });
    expect((await stack.request(`/api/links/${deleting?.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } })).status).toBe(202);
    const second = (await (await post(stack, { action: 'delete', link_ids: [held?.id, deleting?.id, third?.id], dry_run: true })).json()) as JobPreview;
    expect(second.items.map((item) => item.reason)).toEqual(['in_other_job', 'already_deleted', null]);
    expect(second.confirmation).toBe('delete 1 link');
    expect(second.mode).toBe('async');
  });

  it('names production in the phrase, and refuses a start whose confirmation no longer matches', async () => {
    stack = await createTestStack({ mode: 'production' });
    const ids = links(stack, 3).map((link) => link.id);
    const preview = (await (await post(stack, { action: 'delete', link_ids: ids, dry_run: true })).json()) as JobPreview;
    expect(preview.confirmation).toBe('delete 3 links in production');
    const response = await post(stack, { action: 'delete', link_ids: ids, confirmation: 'delete 2 links in production' });
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ code: 'confirmation_mismatch', field: 'confirmation' });
    expect((await errorOf(await post(stack, { action: 'delete', link_ids: ids, confirmation: 'delete 2 links in production' })))?.message).toContain('preview again');
    expect((await post(stack, { action: 'delete', link_ids: ids, confirmation: preview.confirmation })).status).toBe(201);
  });

  it('selects by filter once the index is complete', async () => {
    stack = await createTestStack();
    await stack.indexSync.syncNow();
    const response = await post(stack, { action: 'refresh', filter: { status: 'invalid', institution: 'erebor_mx_retail' }, dry_run: true });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as JobPreview;
    expect(preview.total).toBeGreaterThan(0);
    expect(preview.items.every((item) => item.reason === 'status_not_refreshable')).toBe(true);
    expect(preview.selection).toEqual({ kind: 'filter', filter: { status: 'invalid', institution: 'erebor_mx_retail' }, requested: preview.total });
    expect(await errorOf(await post(stack, { action: 'refresh', filter: { status: 'broken' } }))).toMatchObject({ field: 'filter.status' });
  });
});

describe('running a job', () => {
  it('deletes each link once, records request_ids, and waits for link_deleted', async () => {
    stack = await createTestStack();
    await stack.indexSync.syncNow();
    const afterSync = stack.sim.requests.length;
    const targets = links(stack, 3);
    const created = await startJob(stack, { action: 'delete', link_ids: targets.map((link) => link.id) });
    expect(created).toMatchObject({ state: 'queued', total: 3, remaining: 3, mode: 'async' });
    stack.jobRunner.start();
    await stack.jobRunner.idle();

    const running = await job(stack, created.id);
    expect(running).toMatchObject({ state: 'done', done: 3, failed: 0, sent: 3, remaining: 0, awaiting_confirmation: 3 });
    for (const [index, item] of (running.items ?? []).entries()) {
      expect(item).toMatchObject({ link_id: targets[index]?.id, state: 'done', http_status: 202, awaiting_confirmation: true, request_id: expect.stringMatching(/^[a-f0-9]{32}$/) });
      expect(deletesOf(stack, item.link_id)).toHaveLength(1);
      expect(deletesOf(stack, item.link_id)[0]?.headers['x-belvo-request-mode']).toBe('async');
    }
    // Each link cost one request: the index's copy stood in for the look-up.
    expect(stack.sim.requests.slice(afterSync).map((request) => request.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);

    const changed: string[] = [];
    stack.events.subscribe((event) => {
      if (event.type === 'job-changed' && event.job_id) changed.push(event.job_id);
    });
    stack.clock.advance(3_000);
    await stack.sim.webhooks.settle();
    const confirmed = await job(stack, created.id);
    expect(confirmed.awaiting_confirmation).toBe(0);
    expect(confirmed.items?.every((item) => !item.awaiting_confirmation)).toBe(true);
    expect(changed).toContain(created.id);

    const audit = await stack.stores.audit.list({ limit: 100 });
    const creates = audit.filter((entry) => entry.action === 'job.create');
    expect(creates).toHaveLength(2);
    expect(creates.find((entry) => entry.phase === 'attempt')?.detail).toMatchObject({ job_id: created.id, action: 'delete', links: 3, selection: 'link_ids' });
    for (const item of confirmed.items ?? []) {
      const entries = audit.filter((entry) => entry.action === 'link.delete' && entry.link_id === item.link_id && entry.actor === 'admin');
      expect(entries.find((entry) => entry.phase === 'attempt')?.detail).toMatchObject({ mode: 'async', job_id: created.id });
      expect(entries.find((entry) => entry.phase === 'result')).toMatchObject({ outcome: 'accepted', belvo_request_id: item.request_id });
    }

    const csv = await (await stack.request(`/bff/jobs/${created.id}/results.csv`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('position,link_id,external_id,institution,state,http_status,code,message,belvo_request_id,awaiting_confirmation,sent_at,finished_at');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(confirmed.items?.[0]?.request_id);
  });

  it('skips refreshes of links in cooldown at send time without calling Belvo', async () => {
    stack = await createTestStack();
    const [first, second] = links(stack, 2, (link) => link.status === 'valid' && link.institution.endsWith('_retail'));
    const created = await startJob(stack, { action: 'refresh', link_ids: [first?.id, second?.id], resources: ['ACCOUNTS'] });
    expect((await stack.request(`/api/links/${second?.id}/refresh/`, { method: 'POST' })).status).toBe(202);
    const refreshes = () => stack.sim.requests.filter((request) => request.route === 'POST /api/links/{id}/refresh/').length;
    expect(refreshes()).toBe(1);
    stack.jobRunner.start();
    await stack.jobRunner.idle();
    const done = await job(stack, created.id);
    expect(done.items?.map((item) => [item.state, item.code])).toEqual([
      ['done', null],
      ['skipped', 'in_cooldown'],
    ]);
    expect(refreshes()).toBe(2);
  });

  it('records a 500 as failed, and looks up a dropped connection and a timeout instead of guessing', async () => {
    stack = await createTestStack({ timeoutMs: 1_000 });
    const targets = links(stack, 3);
    stack.sim.faults.add({ route: 'DELETE /api/links/{id}/', kind: '500', remaining: 1 });
    const created = await startJob(stack, { action: 'delete', link_ids: targets.map((link) => link.id) });
    stack.jobRunner.start();
    await stack.jobRunner.idle();
    const first = await job(stack, created.id);
    expect(first.items?.[0]).toMatchObject({ state: 'failed', http_status: 500, request_id: expect.any(String) });

    const dropped = links(stack, 5).slice(3);
    stack.sim.faults.add({ route: 'DELETE /api/links/{id}/', kind: 'drop', remaining: 1 });
    stack.sim.faults.setLatency({ route: 'DELETE /api/links/{id}/', ms: 0 });
    const second = await startJob(stack, { action: 'delete', link_ids: [dropped[0]?.id] });
    await stack.jobRunner.idle();
    // Belvo still has the link; whether an async deletion started, it cannot say.
    expect((await job(stack, second.id)).items?.[0]).toMatchObject({ state: 'outcome_unknown', http_status: 502, code: 'outcome_unknown' });

    stack.sim.faults.setLatency({ route: 'DELETE /api/links/{id}/', ms: 1_300 });
    const third = await startJob(stack, { action: 'delete', link_ids: [dropped[1]?.id] });
    await stack.jobRunner.idle();
    stack.sim.faults.clear();
    expect((await job(stack, third.id)).items?.[0]).toMatchObject({ state: 'outcome_unknown', http_status: 504 });
    for (const link of dropped) expect(deletesOf(stack, link.id)).toHaveLength(1);
  });

  it('pauses after five upstream errors in a row', async () => {
    stack = await createTestStack();
    const targets = links(stack, 12);
    stack.sim.faults.add({ route: 'DELETE /api/links/{id}/', kind: '500', remaining: 20 });
    const created = await startJob(stack, { action: 'delete', link_ids: targets.map((link) => link.id) });
    stack.jobRunner.start();
    await stack.jobRunner.idle();
    const paused = await job(stack, created.id);
    // The fifth error pauses it; items already in flight (up to four) still get their answers.
    expect(paused).toMatchObject({ state: 'paused', pause_reason: 'upstream_errors' });
    expect(paused.failed).toBeGreaterThanOrEqual(5);
    expect(paused.failed).toBeLessThanOrEqual(8);
    expect(paused.failed + paused.remaining).toBe(12);
    expect(paused.remaining).toBeGreaterThan(0);
    expect(paused.error).toContain('5 upstream errors in a row');
    stack.sim.faults.clear();
    expect((await stack.request(`/bff/jobs/${created.id}/resume`, { method: 'POST' })).status).toBe(200);
    await stack.jobRunner.idle();
    expect(await job(stack, created.id)).toMatchObject({ state: 'done', done: paused.remaining, failed: paused.failed });
  });

  it('fails the job when Belvo refuses Linkdesk itself, and sends nothing more', async () => {
    stack = await createTestStack();
    const targets = links(stack, 10);
    stack.sim.faults.add({ route: 'DELETE /api/links/{id}/', kind: '403', remaining: 1 });
    const created = await startJob(stack, { action: 'delete', link_ids: targets.map((link) => link.id) });
    stack.jobRunner.start();
    await stack.jobRunner.idle();
    const failed = await job(stack, created.id);
    expect(failed).toMatchObject({ state: 'failed', pause_reason: 'belvo_refused', failed: 1 });
    // What was already in flight (at most three others) got its answer; nothing else left.
    expect(failed.done).toBeLessThanOrEqual(3);
    expect(failed.done + failed.not_sent).toBe(9);
    expect(stack.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1 + failed.done);
  });

  it('holds synchronous deletes to the shared budget of five a minute, waiting instead of failing', async () => {
    stack = await createTestStack();
    const targets = links(stack, 7);
    const created = await startJob(stack, { action: 'delete', mode: 'sync', link_ids: targets.map((link) => link.id) });
    stack.jobRunner.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await job(stack, created.id)).toMatchObject({ state: 'running', done: 5, remaining: 2, failed: 0 });
    expect(stack.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(5);
    stack.clock.advance(60_001);
    await stack.jobRunner.idle();
    expect(await job(stack, created.id)).toMatchObject({ state: 'done', done: 7, failed: 0 });
    expect(stack.sim.requests.filter((request) => request.method === 'DELETE' && request.headers['x-belvo-request-mode'] === undefined)).toHaveLength(7);
  });
});

describe('controlling a job', () => {
  it('pauses, resumes and cancels, with 409s for the wrong state and 404/400 for bad ids', async () => {
    stack = await createTestStack();
    const created = await startJob(stack, { action: 'delete', link_ids: links(stack, 3).map((link) => link.id) });
    const control = (verb: string, id = created.id) => stack.request(`/bff/jobs/${id}/${verb}`, { method: 'POST' });
    expect(await (await control('pause')).json()).toMatchObject({ state: 'paused', pause_reason: 'person' });
    expect(await errorOf(await control('pause'))).toMatchObject({ code: 'job_paused' });
    expect(await (await control('resume')).json()).toMatchObject({ state: 'queued' });
    expect(await errorOf(await control('resume'))).toMatchObject({ code: 'job_not_paused' });
    const cancelled = (await (await control('cancel')).json()) as Job;
    expect(cancelled).toMatchObject({ state: 'cancelled', not_sent: 3, sent: 0 });
    expect(cancelled.items?.every((item) => item.state === 'not_sent')).toBe(true);
    expect(await errorOf(await control('cancel'))).toMatchObject({ code: 'job_finished' });
    expect((await control('pause', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await stack.request('/bff/jobs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(await errorOf(await stack.request('/bff/jobs/nope'))).toMatchObject({ code: 'invalid', field: 'id' });
    stack.jobRunner.start();
    await stack.jobRunner.idle();
    expect(stack.sim.requests).toHaveLength(0);
    const actions = (await stack.stores.audit.list({ limit: 50 })).map((entry) => entry.action);
    for (const action of ['job.create', 'job.pause', 'job.resume', 'job.cancel']) expect(actions).toContain(action);
    const list = (await (await stack.request('/bff/jobs')).json()) as { jobs: Job[] };
    expect(list.jobs[0]).toMatchObject({ id: created.id, state: 'cancelled' });
    expect(list.jobs[0]?.items).toBeUndefined();
  });

  it('cancels mid-run: what was sent stays listed, the rest is not sent', async () => {
    stack = await createTestStack({ rateLimit: { limit: 4, windowMs: 30_000, reserveForInteractive: 2 } });
    const created = await startJob(stack, { action: 'delete', link_ids: links(stack, 5).map((link) => link.id) });
    stack.jobRunner.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cancelled = (await (await stack.request(`/bff/jobs/${created.id}/cancel`, { method: 'POST' })).json()) as Job;
    expect(cancelled.state).toBe('cancelled');
    stack.clock.advance(30_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await job(stack, created.id);
    const sent = after.items?.filter((item) => item.state === 'done') ?? [];
    // Items waiting for a slot when the cancel came (held by the limiter, not yet sent) never leave.
    expect(after.not_sent).toBeGreaterThanOrEqual(3);
    expect(sent.length + after.not_sent).toBe(5);
    expect(stack.sim.requests.filter((request) => request.method === 'DELETE')).toHaveLength(sent.length);
    expect(after.items?.filter((item) => item.state === 'sending')).toEqual([]);
  });

  it('lets support and admin start and control jobs; viewer and qa read only', async () => {
    stack = await createTestStack();
    const ids = links(stack, 4).map((link) => link.id);
    for (const role of ['viewer', 'qa'] as const) {
      const response = await post(stack, { action: 'delete', link_ids: [ids[0]] }, stack.as(role));
      expect(response.status).toBe(403);
      expect((await errorOf(response))?.message).toContain(`(${role})`);
      expect((await stack.as(role)('/bff/jobs')).status).toBe(200);
    }
    const bySupport = (await (await post(stack, { action: 'refresh', link_ids: [ids[1]] }, stack.as('support'))).json()) as Job;
    expect(bySupport.created_by).toBe('support');
    for (const role of ['viewer', 'qa'] as const) {
      expect((await stack.as(role)(`/bff/jobs/${bySupport.id}/pause`, { method: 'POST' })).status).toBe(403);
      expect((await stack.as(role)(`/bff/jobs/${bySupport.id}`)).status).toBe(200);
    }
    expect((await stack.as('admin')(`/bff/jobs/${bySupport.id}/cancel`, { method: 'POST' })).status).toBe(200);
    expect(stack.sim.requests).toHaveLength(0);
  });
});

describe('the shared pace', () => {
  it('holds one window for a job, a sync and clicks, and a click never waits behind the job', async () => {
    const rateLimit = { limit: 10, windowMs: 30_000, reserveForInteractive: 4 };
    stack = await createTestStack({ rateLimit, sim: { linkCount: 30 } });
    const sent: number[] = [];
    const targets = links(stack, 14);
    const created = await startJob(stack, { action: 'delete', link_ids: targets.map((link) => link.id) });
    stack.jobRunner.start();
    const sync = stack.indexSync.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Background work (job + sync) has the six slots that are not reserved, and no more.
    expect(stack.limiter.state().used).toBe(6);
    // A person's click finds a reserved slot at once, with the clock standing still.
    const started = stack.clock.now();
    const click = await stack.request(`/api/links/${targets[13]?.id}/`);
    expect(click.status).toBe(200);
    expect(stack.clock.now()).toBe(started);
    for (let window = 0; window < 6; window += 1) {
      stack.clock.advance(rateLimit.windowMs);
      await new Promise((resolve) => setTimeout(resolve, 20));
      sent.push(stack.limiter.state().used);
    }
    await sync;
    await stack.jobRunner.idle();
    expect(await job(stack, created.id)).toMatchObject({ state: 'done', done: 14 });
    // Never more than the limit in any window, by the simulator's own log.
    const times = stack.sim.requests.map((request) => Date.parse(request.at));
    for (const at of times) expect(times.filter((other) => other >= at && other < at + rateLimit.windowMs).length).toBeLessThanOrEqual(rateLimit.limit);
    expect(sent.every((used) => used <= rateLimit.limit)).toBe(true);
  });
});
