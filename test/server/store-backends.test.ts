import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createBelvoSim } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createManualClock, type ManualClock } from '../../src/contract/clock.ts';
import type { IndexLinksQuery, IndexSort } from '../../src/contract/bff/link-index.ts';
import type { Link } from '../../src/contract/links.ts';
import { createEventBus } from '../../src/server/events.ts';
import { createWebhookIntake } from '../../src/server/services/webhook-intake.ts';
import { createMemoryCheckpoint } from '../../src/server/store/audit-key.ts';
import type { Db } from '../../src/server/store/database.ts';
import { schemaVersion } from '../../src/server/store/migrations.ts';
import { createStores } from '../../src/server/store/stores.ts';
import { backends, freshDatabase, postgresUrl, type Backend } from '../support/postgres.ts';
import { testAuditKey } from '../support/stack.ts';

/**
 * The stores on both databases. "Two instances" are two connections to one database: on
 * PostgreSQL two connection pools, as two Linkdesk processes would have; on SQLite the one
 * connection a process has (see freshDatabase). What must hold across instances is tested with
 * requests fired at both at once.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function instances(backend: Backend, count: number, clock: ManualClock = createManualClock()) {
  const database = await freshDatabase(backend);
  cleanups.push(database.drop);
  const checkpoint = createMemoryCheckpoint();
  const dbs: Db[] = [];
  for (let i = 0; i < count; i += 1) dbs.push(await database.connect());
  return { clock, dbs, stores: dbs.map((db) => createStores(db, clock, { auditKey: testAuditKey, auditCheckpoint: checkpoint })), database };
}

describe.each(backends())('the stores on %s', (backend) => {
  it('migrates an empty database to the current version, and again finds nothing to do', async () => {
    const database = await freshDatabase(backend);
    cleanups.push(database.drop);
    // Several instances starting at once: one migrates, the others wait and find it done.
    const dbs = await Promise.all([database.connect(), database.connect(), database.connect()]);
    const versions = await dbs[0]!.selectFrom('schema_migrations').select('version').orderBy('version').execute();
    expect(versions.map((row) => row.version)).toEqual(Array.from({ length: schemaVersion }, (_, i) => i + 1));
    for (const table of ['users', 'sessions', 'audit_log', 'operations', 'webhooks', 'index_links', 'oidc_logins', 'sign_in_attempts'] as const) {
      expect(await dbs[0]!.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 0 });
    }
    await expect(sql`DELETE FROM audit_log`.execute(dbs[1]!)).resolves.toBeDefined();
    await expect(sql`INSERT INTO audit_log (at, actor, action, phase, correlation_id, outcome, prev_hash, hash) VALUES (1, 'a', 'sign_in', 'result', 'c', 'x', '', '')`.execute(dbs[1]!)).resolves.toBeDefined();
    await expect(sql`UPDATE audit_log SET outcome = 'y'`.execute(dbs[2]!)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(dbs[2]!)).rejects.toThrow(/append-only/);
  });

  it('a session made on one instance is valid on another; a role change and sign-out apply on the next request', async () => {
    const { stores } = await instances(backend, 2);
    const [a, b] = stores as [ReturnType<typeof createStores>, ReturnType<typeof createStores>];
    const ana = await a.users.add('ana', 'a long enough password', 'support');
    const { token } = await a.sessions.create(ana.id);
    expect(await b.sessions.resolve(token)).toEqual({ id: ana.id, username: 'ana', role: 'support' });
    await b.users.setRole(ana.id, 'viewer');
    expect(await a.sessions.resolve(token)).toMatchObject({ role: 'viewer' });
    await b.sessions.end(token);
    expect(await a.sessions.resolve(token)).toBeNull();
    const second = await b.sessions.create(ana.id);
    await a.sessions.endAllFor(ana.id);
    expect(await b.sessions.resolve(second.token)).toBeNull();
  });

  it('users: one account per name whatever its case, the last admin kept even under concurrent demotions', async () => {
    const { stores } = await instances(backend, 2);
    const [a, b] = stores as [ReturnType<typeof createStores>, ReturnType<typeof createStores>];
    const ana = await a.users.add('Ana', 'a long enough password', 'admin');
    await expect(b.users.add('ana', 'another long password', 'viewer')).rejects.toMatchObject({ code: 'duplicate_username' });
    expect(await b.users.byUsername('ANA')).toMatchObject({ id: ana.id, username: 'Ana', sso: false });
    expect(await b.users.verify('ana', 'a long enough password')).toMatchObject({ id: ana.id });
    expect(await b.users.verify('ana', 'wrong password here')).toBeNull();
    const bo = await b.users.add('bo', 'a long enough password', 'admin');
    await a.users.add('carla', 'a long enough password', 'viewer');
    expect((await a.users.list()).map((user) => user.username)).toEqual(['Ana', 'bo', 'carla']);
    expect(await a.users.count()).toBe(3);
    // Two admins demote each other at the same moment, on two instances: one of them stays admin.
    const results = await Promise.allSettled([a.users.setRole(bo.id, 'viewer'), b.users.setRole(ana.id, 'viewer')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await a.users.list()).filter((user) => user.role === 'admin')).toHaveLength(1);
    const sso = await a.oidc.upsertUser('oidc:https://login.example.com#carla', 'carla', 'support');
    expect(sso).toMatchObject({ username: expect.stringMatching(/^carla~/), previousRole: null });
    expect(await b.oidc.upsertUser('oidc:https://login.example.com#carla', 'carla', 'qa')).toMatchObject({ id: sso.id, previousRole: 'support' });
  });

  it('sign-in throttle: concurrent reservations from two instances never exceed the limit', async () => {
    const { stores } = await instances(backend, 2);
    const key = { key: stores[0]!.throttle.keyOf('address', '203.0.113.7'), rule: { kind: 'lock' as const, limit: 5 }, actor: '(any user)', reason: 'address' };
    const reservations = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 2]!.throttle.reserve([key], '203.0.113.7')));
    expect(reservations.filter((reservation) => reservation.ok)).toHaveLength(5);
    const refusals = await stores[1]!.throttle.takeRefusals(true);
    expect(refusals).toEqual([expect.objectContaining({ key: key.key, count: 25 })]);
  });

  it('sync-delete budget: 25 concurrent reservations from three instances grant exactly 5', async () => {
    const { stores, clock } = await instances(backend, 3);
    const slots = await Promise.all(Array.from({ length: 25 }, (_, i) => stores[i % 3]!.operations.reserveSyncDelete(`link-${i}`)));
    expect(slots.filter((slot) => slot.ok)).toHaveLength(5);
    expect(await stores[1]!.operations.budget()).toMatchObject({ used: 5, remaining: 0, next_slot_at: clock.now() + 60_000 });
    const granted = slots.find((slot) => slot.ok) as { ok: true; id: number };
    await stores[2]!.operations.releaseSyncDelete(granted.id);
    expect(await stores[0]!.operations.budget()).toMatchObject({ used: 4, remaining: 1 });
    await stores[0]!.operations.blockSyncDeletes(clock.now() + 30_000);
    expect(await stores[1]!.operations.budget()).toMatchObject({ remaining: 0, blocked_until: clock.now() + 30_000 });
  });

  it('refresh cooldowns: the later end wins whichever instance writes, and every instance sees it', async () => {
    const { stores, clock } = await instances(backend, 2);
    const link = '11111111-1111-4111-8111-111111111111';
    await stores[0]!.operations.setCooldown(link, clock.now() + 600_000, 'linkdesk');
    await stores[1]!.operations.setCooldown(link, clock.now() + 300_000, 'belvo');
    expect(await stores[1]!.operations.cooldown(link)).toEqual({ link_id: link, ends_at: clock.now() + 600_000, source: 'belvo' });
    expect(await stores[0]!.operations.activeCooldowns()).toHaveLength(1);
    clock.advance(600_000);
    expect(await stores[0]!.operations.cooldown(link)).toBeNull();
    await stores[1]!.operations.prune();
    expect(await stores[0]!.operations.activeCooldowns()).toEqual([]);
  });

  it('webhooks: the same delivery arriving at two instances at once is applied once', async () => {
    const { stores, clock } = await instances(backend, 2);
    const link = '22222222-2222-4222-8222-222222222222';
    await stores[0]!.operations.addOperation({ request_id: 'req-1', kind: 'delete', link_id: link, external_id: null, institution: 'erebor_mx_retail', resources: null, requested_at: clock.now(), requested_by: 'ana' });
    const intakes = stores.map((s) => createWebhookIntake({ operations: s.operations, events: createEventBus(), clock, audit: s.audit }));
    const body = JSON.stringify({ webhook_id: 'wh-1', webhook_type: 'LINKS', webhook_code: 'link_deleted', link_id: link, request_id: 'req-1' });
    const receipts = await Promise.all(intakes.map((intake) => intake.receive(body)));
    expect(receipts.map((receipt) => receipt.kind).sort()).toEqual(['duplicate', 'stored']);
    expect(await stores[1]!.operations.operation('req-1')).toMatchObject({ state: 'done' });
    expect(await stores[0]!.operations.recentWebhooks()).toHaveLength(1);
    expect(await stores[1]!.audit.list({ outcome: 'confirmed' })).toHaveLength(1);
  });

  it('audit: appends from two instances interleaved make one chain that verifies on either', async () => {
    const { stores } = await instances(backend, 2);
    await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]!.audit.note('sign_out', { actor: `user${i}`, role: 'viewer' }, 'success')));
    for (const s of stores) expect(await s.audit.verify()).toEqual({ ok: true, entries: 40, unkeyed_entries: 0, last_id: 40, problems: [] });
    const entries = await stores[0]!.audit.list({ limit: 1000 });
    expect(new Set(entries.map((entry) => entry.actor)).size).toBe(40);
    expect((await stores[1]!.audit.list({ actor: 'user7' }))[0]).toMatchObject({ action: 'sign_out', outcome: 'success' });
    const finish = await stores[0]!.audit.attempt('link.delete', { actor: 'ana', role: 'support' }, { link_id: '33333333-3333-4333-8333-333333333333' });
    expect(await stores[1]!.audit.openAttempts(Number.MAX_SAFE_INTEGER)).toHaveLength(1);
    await finish('success');
    expect(await stores[1]!.audit.openAttempts(Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(await stores[1]!.audit.list({ link_id: '33333333' })).toHaveLength(2);
  });

  it('bulk jobs: a job and its items, counts, the next item, and one claim per item across instances', async () => {
    const { stores, clock } = await instances(backend, 2);
    const [a, b] = stores as [ReturnType<typeof createStores>, ReturnType<typeof createStores>];
    const linkIds = Array.from({ length: 6 }, (_, i) => `4444444${i}-4444-4444-8444-444444444444`);
    await a.jobs.create(
      { id: 'job-1', action: 'delete', mode: 'async', resources: null, selection: { kind: 'link_ids', filter: null, requested: 6 }, created_by: 'ana', created_role: 'support', created_at: clock.now() },
      linkIds.map((linkId, i) => ({ link_id: linkId, external_id: null, institution: 'erebor_mx_retail', state: i === 5 ? 'skipped' : 'queued', code: i === 5 ? 'in_cooldown' : null, message: null })),
    );
    expect(await b.jobs.job('job-1')).toMatchObject({ state: 'queued', selection: { kind: 'link_ids', requested: 6 }, resources: null });
    expect(await b.jobs.counts('job-1')).toEqual({ total: 6, queued: 5, sending: 0, done: 0, failed: 0, skipped: 1, outcome_unknown: 0, not_sent: 0, awaiting_confirmation: 0 });
    expect(await b.jobs.nextRunnable()).toMatchObject({ id: 'job-1' });
    expect(await b.jobs.nextQueued('job-1', new Set([0, 1]))).toMatchObject({ position: 2, link_id: linkIds[2] });
    expect(await a.jobs.linksInOpenJobs([linkIds[0]!, linkIds[5]!, 'other'])).toEqual(new Set([linkIds[0]]));

    // Two instances marking the same item as sending: one of them may send it.
    const claims = await Promise.all([a.jobs.markSending('job-1', 0, clock.now()), b.jobs.markSending('job-1', 0, clock.now())]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await a.jobs.sending('job-1')).toMatchObject([{ position: 0, state: 'sending' }]);
    await a.jobs.setState('job-1', { state: 'running', started_at: clock.now() });
    clock.advance(1_000);
    await b.jobs.setState('job-1', { state: 'running', started_at: clock.now() });
    expect((await a.jobs.job('job-1'))?.started_at).toBe(clock.now() - 1_000);

    await a.operations.addOperation({ request_id: 'req-9', kind: 'delete', link_id: linkIds[0]!, external_id: null, institution: 'erebor_mx_retail', resources: null, requested_at: clock.now(), requested_by: 'ana' });
    await b.jobs.finishItem('job-1', 0, { state: 'done', http_status: 202, request_id: 'req-9' }, clock.now());
    await b.jobs.finishItem('job-1', 0, { state: 'done', http_status: 202 }, clock.now());
    await b.jobs.markSending('job-1', 1, clock.now());
    await a.jobs.requeue('job-1', 1);
    expect((await a.jobs.items('job-1')).slice(0, 2)).toMatchObject([
      { position: 0, state: 'done', request_id: 'req-9', awaiting_confirmation: 1 },
      { position: 1, state: 'queued', sent_at: null, awaiting_confirmation: 0 },
    ]);
    expect(await b.jobs.jobsWithLink(linkIds[0]!)).toEqual(['job-1']);
    expect(await a.jobs.counts('job-1')).toMatchObject({ done: 1, queued: 4, awaiting_confirmation: 1 });
    await a.operations.completeOperation('req-9', 'done');
    expect(await b.jobs.counts('job-1')).toMatchObject({ awaiting_confirmation: 0 });
    expect(await a.jobs.finishedSince('job-1', 0)).toEqual({ n: 1, first: clock.now() });

    expect(await b.jobs.markRestNotSent('job-1', 'Cancelled.', clock.now())).toBe(4);
    await b.jobs.setState('job-1', { state: 'cancelled', finished_at: clock.now() });
    expect(await a.jobs.nextRunnable()).toBeNull();
    expect(await a.jobs.linksInOpenJobs(linkIds)).toEqual(new Set());
    expect((await a.jobs.list()).map((job) => job.state)).toEqual(['cancelled']);
  });

  it('audit: the newest rows deleted (triggers dropped) are reported as truncation, even with the id counter put back', async () => {
    const { stores, dbs } = await instances(backend, 1);
    for (let i = 0; i < 5; i += 1) await stores[0]!.audit.note('sign_out', { actor: 'ana', role: 'viewer' }, 'success');
    const db = dbs[0]!;
    if (backend === 'postgres') {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(db);
      await sql`DELETE FROM audit_log WHERE id >= 4`.execute(db);
    } else {
      await sql`DROP TRIGGER audit_log_no_delete`.execute(db);
      await sql`DELETE FROM audit_log WHERE id >= 4`.execute(db);
      await sql`UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'`.execute(db);
    }
    expect(await stores[0]!.audit.verify()).toMatchObject({ ok: false, entries: 3, problems: [{ kind: 'truncated', id: 5 }] });
  });
});

const thresholds = { refreshRateFactor: 2, brokenDays: 7 };

/** Everything the list, its search and the health page ask of the index, asked of one store. */
async function indexAnswers(store: ReturnType<typeof createStores>['linkIndex'], links: Link[], now: number) {
  const byStatus = links.find((link) => link.status === 'invalid');
  const someone = links.find((link) => link.institution_user_id);
  const external = links.find((link) => link.external_id);
  const queries: [Omit<IndexLinksQuery, 'sort' | 'order' | 'page' | 'page_size'>, IndexSort, 'asc' | 'desc'][] = [
    [{}, 'created_at', 'desc'],
    [{}, 'last_accessed_at', 'asc'],
    [{}, 'institution', 'asc'],
    [{}, 'status', 'desc'],
    [{ status: 'valid' }, 'institution', 'desc'],
    [{ refresh_rate: '24h' }, 'last_accessed_at', 'desc'],
    [{ access_mode: 'single', status: byStatus?.status }, 'created_at', 'asc'],
    [{ institution: links[0]!.institution }, 'status', 'asc'],
    [{ orphan: true }, 'created_at', 'desc'],
    [{ duplicate: true }, 'institution', 'asc'],
    [{ stale: 'any' }, 'created_at', 'desc'],
    [{ stale: 'broken' }, 'last_accessed_at', 'asc'],
    [{ created_from: '2025-01-01', created_to: links[5]!.created_at }, 'created_at', 'asc'],
    [{ q: links[3]!.id.slice(0, 8) }, 'created_at', 'desc'],
    [{ q: links[4]!.id.toUpperCase() }, 'created_at', 'desc'],
    [{ q: someone?.institution_user_id ?? 'x' }, 'created_at', 'desc'],
    [{ q: (external?.external_id ?? 'x').slice(0, 4) }, 'institution', 'asc'],
  ];
  const pages = [];
  for (const [filter, sort, order] of queries) {
    for (const page of [1, 3]) {
      const result = await store.page(filter, sort, order, page, 25, now, thresholds);
      pages.push({ filter, sort, order, page, count: result.count, counts: result.counts, ids: result.results.map((link) => [link.id, link.duplicates]) });
    }
  }
  const exported: string[] = [];
  for await (const chunk of store.rows({ status: 'valid' }, 'institution', 'desc', now, thresholds, 40)) exported.push(...chunk.map((row) => `${row.id}:${row.duplicates}`));
  return {
    pages,
    exported,
    count: await store.count(),
    countsByStatus: await store.countsByStatus(),
    byStatusInstitution: await store.byStatusInstitution(),
    orphans: await store.orphans(),
    duplicates: await store.duplicateRows(),
    stale: await store.staleCounts(now, thresholds),
    newest: await store.newestCreatedAt(),
  };
}

describe.skipIf(!postgresUrl())('the link index on SQLite and on PostgreSQL', () => {
  it('gives the same pages, searches, exports and health counts, before and after changes', { timeout: 60_000 }, async () => {
    const clock = createManualClock();
    const sim = createBelvoSim({ clock, ticker: false, linkCount: 600 });
    const links = sim.links() as Link[];
    sim.close();
    const stores: ReturnType<typeof createStores>['linkIndex'][] = [];
    for (const backend of ['sqlite', 'postgres'] as const) stores.push((await instances(backend, 1, clock)).stores[0]!.linkIndex);
    const answers = async () => Promise.all(stores.map((store) => indexAnswers(store, links, clock.now())));

    for (const store of stores) {
      await store.upsert(links.slice(0, 300), 1, clock.now());
      await store.upsertWithMeta(links.slice(250), 1, clock.now(), 'cursor', { page: 2 });
    }
    const [sqlite, postgres] = await answers();
    expect(sqlite!.count).toBe(600);
    expect(sqlite!.duplicates.length).toBeGreaterThan(0);
    expect(postgres).toEqual(sqlite);

    // What a sync, a webhook and a delete change, applied to both.
    clock.advance(3_600_000);
    for (const store of stores) {
      expect(await store.setStatus(links[10]!.id, 'invalid', clock.now())).toBe(links[10]!.status !== 'invalid');
      await store.upsert(links.slice(0, 500).map((link, i) => (i % 7 === 0 ? { ...link, last_accessed_at: new Date(clock.now()).toISOString() } : link)), 2, clock.now());
      // The same statement shape again, with other values (the store reuses its compiled text).
      await store.upsert(links.slice(0, 500).map((link, i) => (i % 5 === 0 ? { ...link, status: 'invalid' as const, external_id: null } : link)), 2, clock.now() + 1_000);
      expect(await store.removeUnseen(2, clock.now())).toBe(100);
      expect(await store.remove([links[20]!.id, 'not-there'], clock.now())).toBe(1);
      // A page read before those deletions and written after them brings none of them back.
      await store.upsert([links[20]!, links[550]!, links[21]!], 2, clock.now());
      expect(await store.meta('cursor')).toEqual({ page: 2 });
      await store.snapshot('2026-11-25', clock.now(), await store.countsByStatus());
    }
    const [sqliteAfter, postgresAfter] = await answers();
    expect(sqliteAfter!.count).toBe(499);
    expect(postgresAfter).toEqual(sqliteAfter);
    expect(await stores[1]!.snapshots(10)).toEqual(await stores[0]!.snapshots(10));
  });
});
