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
afterEach(() => {
  stack?.close();
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
function dropTriggers(db: Db) {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

/** The old, unkeyed chain, recomputed from `fromId` on, as an attacker without the key would. */
function recomputePlainChain(db: Db, fromId: number, toId = Number.MAX_SAFE_INTEGER) {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Record<string, unknown>[];
  let prev = '0'.repeat(64);
  for (const row of rows) {
    if (Number(row.id) >= fromId && Number(row.id) <= toId) {
      const hash = createHash('sha256')
        .update(JSON.stringify([prev, row.at, row.actor, row.role, row.action, row.phase, row.correlation_id, row.link_id, row.external_id, row.belvo_request_id, row.outcome, row.detail]))
        .digest('hex');
      db.prepare("UPDATE audit_log SET prev_hash = ?, hash = ?, chain = 'sha256' WHERE id = ?").run(prev, hash, row.id);
      prev = hash;
    } else prev = String(row.hash);
  }
}

describe('the audit chain against someone holding the database file', () => {
  it('an edited row with the plain SHA-256 chain recomputed does not pass', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    expect(await verify(stack)).toEqual({ ok: true, entries: 5, unkeyed_entries: 0, last_id: 5, problems: [] });
    dropTriggers(stack.db);
    stack.db.prepare("UPDATE audit_log SET outcome = 'success' WHERE id = 2").run();
    recomputePlainChain(stack.db, 2);
    const result = await verify(stack);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ kind: 'broken', id: 5 });
  });

  it('the whole chain recomputed as unkeyed does not pass either: the checkpoint names the real head', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    dropTriggers(stack.db);
    stack.db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE id = 1").run();
    recomputePlainChain(stack.db, 1);
    const result = await verify(stack);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ kind: 'broken', id: 5 }]);
  });

  it('deleting the newest rows is reported as truncation', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    dropTriggers(stack.db);
    stack.db.prepare('DELETE FROM audit_log WHERE id >= 4').run();
    // Even with SQLite's own counter of ids put back.
    stack.db.prepare("UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'").run();
    expect(await verify(stack)).toMatchObject({ ok: false, entries: 3, problems: [{ kind: 'truncated', id: 5 }] });
  });

  it('reports gaps in ids', async () => {
    stack = await createTestStack();
    await someEntries(stack);
    dropTriggers(stack.db);
    stack.db.prepare('DELETE FROM audit_log WHERE id = 3').run();
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

  it('recreates dropped or replaced triggers at start', () => {
    const dir = tempDir();
    const path = join(dir, 'linkdesk.sqlite');
    let db = openDatabase(path);
    createAuditLog(db, createManualClock(), { key: testAuditKey }).note('sign_out', { actor: 'ana', role: 'viewer' }, 'success');
    dropTriggers(db);
    db.exec('CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END;');
    db.close();
    db = openDatabase(path);
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
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

    const db = openDatabase(join(dir, 'linkdesk.sqlite'));
    const checkpoint = createFileCheckpoint(join(dir, 'audit.head'));
    const audit = createAuditLog(db, createManualClock(), { key, checkpoint });
    audit.note('sign_out', { actor: 'ana', role: 'viewer' }, 'success');
    audit.note('sign_out', { actor: 'bo', role: 'viewer' }, 'success');
    expect(JSON.parse(readFileSync(join(dir, 'audit.head'), 'utf8'))).toMatchObject({ id: 2 });
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
    const raw = readFileSync(join(dir, 'linkdesk.sqlite'));
    expect(raw.includes(Buffer.from(key.toString('hex')))).toBe(false);
    rmSync(join(dir, 'audit.head'));
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [{ kind: 'checkpoint_missing' }] });
    db.close();
  });

  it('verifies entries written before the chain was keyed, and covers them with the first keyed one', async () => {
    stack = await createTestStack();
    // A log from before this version: plain SHA-256, no key.
    dropTriggers(stack.db);
    stack.db
      .prepare(
        "INSERT INTO audit_log (at, actor, role, action, phase, correlation_id, outcome, detail, prev_hash, hash) VALUES (1, 'ana', 'admin', 'sign_out', 'result', 'c1', 'success', 'null', ?, '')",
      )
      .run('0'.repeat(64));
    recomputePlainChain(stack.db, 1);
    await someEntries(stack);
    expect(await verify(stack)).toMatchObject({ ok: true, entries: 6, unkeyed_entries: 1 });
    stack.db.prepare("UPDATE audit_log SET actor = 'bo' WHERE id = 1").run();
    recomputePlainChain(stack.db, 1, 1);
    expect((await verify(stack)).problems).toContainEqual({ kind: 'broken', id: 2 });
  });
});

describe('anonymous callers cannot flood the audit log', () => {
  it('10 s of anonymous sign-in attempts write a bounded number of rows, and the refusals are counted in one', async () => {
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
    const rows = () => stack!.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number };
    // At most the password checks the throttle allowed (20 for the address), one row each.
    expect(rows().n).toBeLessThanOrEqual(20);
    stack.clock.advance(15 * 60_000);
    await stack.anonymous('/bff/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'viewer', password: testPassword }) });
    const throttled = stack.db.prepare("SELECT actor, detail FROM audit_log WHERE outcome = 'throttled'").all() as { actor: string; detail: string }[];
    const failures = (stack.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE outcome = 'failure'").get() as { n: number }).n;
    // One row per throttled key (the address; admin's pair), each with how many attempts it refused.
    expect(throttled.map((row) => [row.actor, JSON.parse(row.detail).limit]).sort()).toEqual([
      ['(any user)', 'address'],
      ['admin', 'account_and_address'],
    ]);
    const refused = throttled.reduce((sum, row) => sum + (JSON.parse(row.detail) as { refused: number }).refused, 0);
    expect(refused + failures).toBe(sent);
    expect(rows().n).toBeLessThanOrEqual(23);
  });

  it('verifying a large log does not hold up other requests', async () => {
    stack = await createTestStack();
    const audit = stack.stores.audit;
    stack.db.transaction(() => {
      for (let i = 0; i < 20_000; i += 1) audit.note('sign_out', { actor: `user${i % 50}`, role: 'viewer' }, 'success');
    })();
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
    stack.db.transaction(() => {
      for (let i = 0; i < 20_000; i += 1) audit.note('sign_out', { actor: `user${i % 50}`, role: 'viewer' }, 'success');
    })();
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
