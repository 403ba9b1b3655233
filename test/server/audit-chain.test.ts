import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { AuditVerification } from '../../src/contract/bff/audit.ts';
import { createAuditLog } from '../../src/server/store/audit.ts';
import { createFileCheckpoint, loadAuditKey } from '../../src/server/store/audit-key.ts';
import { openDatabase, type Db } from '../../src/server/store/database.ts';
import { createTestStack, testAuditKey, testPassword, type TestStack } from '../support/stack.ts';

let stack: TestStack | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkdesk-audit-'));
  dirs.push(dir);
  return dir;
};

const verify = async (s: TestStack) => (await (await s.request('/bff/audit/verify')).json()) as AuditVerification;

/** Five entries: two denied deletes (attempt + result each) and one failed sign-in. */
async function someEntries(s: TestStack) {
  await s.as('viewer')(`/api/links/${s.sim.links()[0]?.id}/`, { method: 'DELETE' });
  await s.as('viewer')(`/api/links/${s.sim.links()[1]?.id}/`, { method: 'DELETE' });
  await s.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'qa', password: 'wrong' }) });
}

/** What someone with the database file can do: drop the triggers and change rows at will. */
async function dropTriggers(db: Db) {
  await sql`DROP TRIGGER audit_log_no_update`.execute(db);
  await sql`DROP TRIGGER audit_log_no_delete`.execute(db);
}

/** The old, unkeyed chain, recomputed from `fromId` on, as an attacker without the key would. */
async function recomputePlainChain(db: Db, fromId: number, toId = Number.MAX_SAFE_INTEGER) {
  const rows = (await db.selectFrom('audit_log').selectAll().orderBy('id').execute()) as Record<string, unknown>[];
  let prev = '0'.repeat(64);
  for (const row of rows) {
    if (Number(row.id) >= fromId && Number(row.id) <= toId) {
      const hash = createHash('sha256')
        .update(JSON.stringify([prev, row.at, row.actor, row.role, row.action, row.phase, row.correlation_id, row.link_id, row.external_id, row.belvo_request_id, row.outcome, row.detail]))
        .digest('hex');
      await sql`UPDATE audit_log SET prev_hash = ${prev}, hash = ${hash}, chain = 'sha256' WHERE id = ${row.id}`.execute(db);
      prev = hash;
    } else prev = String(row.hash);
  }
}

describe('the audit chain against someone holding the database file', () => {
  it('an edited row with the plain SHA-256 chain recomputed does not pass', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    expect(await verify(stack)).toEqual({ ok: true, entries: 5, unkeyed_entries: 0, last_id: 5, problems: [] });
    await dropTriggers(stack.db);
    await sql`UPDATE audit_log SET outcome = 'success' WHERE id = 2`.execute(stack.db);
    await recomputePlainChain(stack.db, 2);
    const result = await verify(stack);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ kind: 'broken', id: 5 });
  });

  it('the whole chain recomputed as unkeyed does not pass either: the checkpoint names the real head', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    await dropTriggers(stack.db);
    await sql`UPDATE audit_log SET actor = 'someone else' WHERE id = 1`.execute(stack.db);
    await recomputePlainChain(stack.db, 1);
    const result = await verify(stack);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ kind: 'broken', id: 5 }]);
  });

  it('deleting the newest rows is reported as truncation', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    await dropTriggers(stack.db);
    await sql`DELETE FROM audit_log WHERE id >= 4`.execute(stack.db);
    // Even with SQLite's own counter of ids put back.
    await sql`UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'`.execute(stack.db);
    expect(await verify(stack)).toMatchObject({ ok: false, entries: 3, problems: [{ kind: 'truncated', id: 5 }] });
  });

  it('reports gaps in ids', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    await dropTriggers(stack.db);
    await sql`DELETE FROM audit_log WHERE id = 3`.execute(stack.db);
    const result = await verify(stack);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual(expect.arrayContaining([{ kind: 'gap', id: 4, missing: 1 }, { kind: 'broken', id: 4 }]));
  });

  it('a chain verified with another key does not pass (the key is what makes it tamper-evident)', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    const other = createAuditLog(stack.db, stack.clock, { key: Buffer.alloc(32, 9) });
    const result = await other.verify();
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toEqual({ kind: 'broken', id: 1 });
  });

  it('recreates dropped or replaced triggers at start', async () => {
    const dir = tempDir();
    const path = join(dir, 'linkdesk.sqlite');
    let db = await openDatabase(path);
    await createAuditLog(db, createManualClock(), { key: testAuditKey }).note('sign_out', { actor: 'ana', role: 'viewer' }, 'success');
    await dropTriggers(db);
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END;`.execute(db);
    await db.destroy();
    db = await openDatabase(path);
    await expect(sql`UPDATE audit_log SET outcome = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/);
    await db.destroy();
  });

  it('keeps the key and the checkpoint outside the database; a missing checkpoint is reported', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'audit.key');
    const key = loadAuditKey({ key: null, file: keyFile });
    expect(key).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadAuditKey({ key: null, file: keyFile }).equals(key)).toBe(true);
    expect(loadAuditKey({ key: 'ab'.repeat(32), file: join(dir, 'unused.key') }).equals(Buffer.alloc(32, 0xab))).toBe(true);
    expect(existsSync(join(dir, 'unused.key'))).toBe(false);

    const db = await openDatabase(join(dir, 'linkdesk.sqlite'));
    const checkpoint = createFileCheckpoint(join(dir, 'audit.head'));
    const audit = createAuditLog(db, createManualClock(), { key, checkpoint });
    await audit.note('sign_out', { actor: 'ana', role: 'viewer' }, 'success');
    await audit.note('sign_out', { actor: 'bo', role: 'viewer' }, 'success');
    expect(JSON.parse(readFileSync(join(dir, 'audit.head'), 'utf8'))).toMatchObject({ id: 2 });
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
    const raw = readFileSync(join(dir, 'linkdesk.sqlite'));
    expect(raw.includes(Buffer.from(key.toString('hex')))).toBe(false);
    rmSync(join(dir, 'audit.head'));
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [{ kind: 'checkpoint_missing' }] });
    await db.destroy();
  });

  it('verifies entries written before the chain was keyed, and covers them with the first keyed one', async () => {
    stack = await createTestStack();
    // A log from before this version: plain SHA-256, no key.
    await dropTriggers(stack.db);
    await sql`INSERT INTO audit_log (at, actor, role, action, phase, correlation_id, outcome, detail, prev_hash, hash) VALUES (1, 'ana', 'admin', 'sign_out', 'result', 'c1', 'success', 'null', ${'0'.repeat(64)}, '')`.execute(stack.db);
    await recomputePlainChain(stack.db, 1);
    await someEntries(stack);
    expect(await verify(stack)).toMatchObject({ ok: true, entries: 6, unkeyed_entries: 1 });
    await sql`UPDATE audit_log SET actor = 'bo' WHERE id = 1`.execute(stack.db);
    await recomputePlainChain(stack.db, 1, 1);
    expect((await verify(stack)).problems).toContainEqual({ kind: 'broken', id: 2 });
  });
});

describe('anonymous callers cannot flood the audit log', () => {
  it('10 s of anonymous sign-in attempts write a bounded number of rows, and the refusals are counted in one', { timeout: 20_000 }, async () => {
    stack = await createTestStack();
    const attempt = (i: number) =>
      stack!.anonymous('/bff/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-client-address': '203.0.113.66' },
        body: JSON.stringify({ username: i % 3 === 0 ? 'admin' : `nobody${i}`, password: `guess-${i}` }),
      });
    let sent = 0;
    for (let tick = 0; tick < 10; tick += 1) {
      const batch = await Promise.all(Array.from({ length: 100 }, (_, i) => attempt(sent + i)));
      sent += batch.length;
      stack.clock.advance(1_000);
    }
    const rows = () => stack!.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // At most the password checks the throttle allowed (20 for the address), one row each.
    expect((await rows()).n).toBeLessThanOrEqual(20);
    stack.clock.advance(15 * 60_000);
    await stack.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: testPassword }) });
    const throttled = (await stack.db.selectFrom('audit_log').select(['actor', 'detail']).where('outcome', '=', 'throttled').execute()) as { actor: string; detail: string }[];
    const { n: failures } = await stack.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('outcome', '=', 'failure').executeTakeFirstOrThrow();
    // One row per throttled key (the address; admin's pair), each with how many attempts it refused.
    expect(throttled.map((row) => [row.actor, JSON.parse(row.detail).limit]).sort()).toEqual([
      ['(any user)', 'address'],
      ['admin', 'account_and_address'],
    ]);
    const refused = throttled.reduce((sum, row) => sum + (JSON.parse(row.detail) as { refused: number }).refused, 0);
    expect(refused + failures).toBe(sent);
    expect((await rows()).n).toBeLessThanOrEqual(23);
  });

  it('verifying a large log does not hold up other requests', async () => {
    stack = await createTestStack();
    const audit = stack.stores.audit;
    for (let i = 0; i < 20_000; i += 1) await audit.note('sign_out', { actor: `user${i % 50}`, role: 'viewer' }, 'success');
    const finished: string[] = [];
    const verification = Promise.resolve(stack.request('/bff/audit/verify')).then(async (response) => {
      finished.push('verify');
      return (await response.json()) as AuditVerification;
    });
    const other = Promise.resolve(stack.as('viewer')('/bff/operations')).then((response) => {
      finished.push('operations');
      return response.status;
    });
    expect(await other).toBe(200);
    expect((await verification).entries).toBe(20_000);
    expect(finished).toEqual(['operations', 'verify']);
  });

  it('exporting a large log as CSV does not hold up other requests either', async () => {
    stack = await createTestStack();
    const audit = stack.stores.audit;
    for (let i = 0; i < 20_000; i += 1) await audit.note('sign_out', { actor: `user${i % 50}`, role: 'viewer' }, 'success');
    const finished: string[] = [];
    const exported = Promise.resolve(stack.request('/bff/audit.csv')).then(async (response) => {
      const text = await response.text();
      finished.push('export');
      return text;
    });
    const other = Promise.resolve(stack.as('viewer')('/bff/operations')).then((response) => {
      finished.push('operations');
      return response.status;
    });
    expect(await other).toBe(200);
    expect((await exported).trim().split('\r\n')).toHaveLength(20_001);
    expect(finished).toEqual(['operations', 'export']);
  });
});
