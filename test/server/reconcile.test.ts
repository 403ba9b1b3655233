import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { Link } from '../../src/contract/links.ts';
import { createBelvoSim } from '../../src/belvo-sim/create-belvo-sim.ts';
import { startReconciliation } from '../../src/server/background/reconcile.ts';
import { createLogger } from '../../src/server/logger.ts';
import type { AuditEntry } from '../../src/contract/bff/audit.ts';
import { createAuditLog } from '../../src/server/store/audit.ts';
import { createFileCheckpoint, loadAuditKey } from '../../src/server/store/audit-key.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { runServer as main, type RunningServer } from '../../src/server/run-server.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack | undefined;
let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const silent = createLogger({ level: 'silent' });
const byCorrelation = (entries: AuditEntry[], correlation: string) => entries.filter((entry) => entry.correlation_id === correlation);

describe('actions a crash left open are reconciled at start', () => {
  it('a burst of deletes Belvo carried out, killed before the results were written, ends up recorded as done', async () => {
    stack = await createTestStack();
    const { audit } = stack.stores;
    const links = stack.sim.links().slice(0, 3) as Link[];
    // The state kill -9 leaves: "attempted" rows only. Belvo carried out the first two deletes.
    for (const link of links) await audit.attempt('link.delete', { actor: 'support', role: 'support' }, { link_id: link.id, detail: { mode: 'sync' } });
    for (const link of links.slice(0, 2)) expect((await stack.belvo(`/api/links/${link.id}/`, { method: 'DELETE' })).status).toBe(204);
    await audit.attempt('link.refresh', { actor: 'support', role: 'support' }, { link_id: links[2]?.id, detail: { resources: 'all' } });
    await audit.attempt('link.register', { actor: 'qa', role: 'qa' }, { external_id: 'crash-test', detail: { institution: 'erebor_mx_retail' } });
    await audit.attempt('user.add', { actor: 'cli (ops)', role: 'cli' }, { detail: { username: 'qa', role: 'qa' } });
    // Finished actions are left alone.
    await (await audit.attempt('link.delete', { actor: 'support', role: 'support' }))('success');
    stack.clock.advance(1_000);

    const reconciled = await stack.services.actionReconciliation.reconcile(stack.clock.now());
    expect(reconciled.map((entry) => `${entry.action}:${entry.outcome}`)).toEqual([
      'link.delete:success',
      'link.delete:success',
      'link.delete:not_done',
      'link.refresh:outcome_unknown',
      'link.register:outcome_unknown',
      'user.add:success',
    ]);
    const log = await audit.list({ limit: 1000 });
    for (const entry of reconciled) {
      const pair = byCorrelation(log, entry.correlation_id);
      expect(pair.map((row) => row.phase).sort()).toEqual(['attempt', 'result']);
      expect(pair.find((row) => row.phase === 'result')?.detail).toMatchObject({ reconciled: true });
    }
    expect(log.find((row) => row.phase === 'result' && row.link_id === links[2]?.id && row.action === 'link.delete')?.external_id).toBe(links[2]?.external_id ?? null);
    // Nothing is left open, so a second start does nothing.
    expect(await stack.services.actionReconciliation.reconcile(stack.clock.now())).toEqual([]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('records "outcome unknown" when Belvo does not answer', async () => {
    stack = await createTestStack({ timeoutMs: 1_000 });
    const { audit } = stack.stores;
    const link = stack.sim.links()[0] as Link;
    await audit.attempt('link.delete', { actor: 'support', role: 'support' }, { link_id: link.id });
    stack.sim.faults.add({ route: 'GET /api/links/{id}/', kind: '500', remaining: 1 });
    const [result] = await stack.services.actionReconciliation.reconcile(stack.clock.now() + 1);
    expect(result?.outcome).toBe('outcome_unknown');
  });

  it('at start leaves attempts of the last 30 s to a second pass, for a CLI command still running elsewhere', async () => {
    stack = await createTestStack();
    const { audit } = stack.stores;
    const link = stack.sim.links()[0] as Link;
    await audit.attempt('link.delete', { actor: 'support', role: 'support' }, { link_id: link.id });
    stack.clock.advance(60_000);
    await audit.attempt('user.add', { actor: 'cli (ops)', role: 'cli' }, { detail: { username: 'qa', role: 'qa' } });
    stack.clock.advance(5_000);
    const open = async () => (await audit.openAttempts(stack!.clock.now() + 1)).map((entry) => entry.action);
    const task = startReconciliation({ reconciliation: stack.services.actionReconciliation, clock: stack.clock, logger: silent });
    await vi.waitFor(async () => expect(await open()).toEqual(['user.add']));
    stack.clock.advance(30_000);
    await vi.waitFor(async () => expect(await open()).toEqual([]));
    await task.stop();
  });

  it('npm start reconciles what the previous run left open', { timeout: 30_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkdesk-reconcile-'));
    // The previous run, a minute ago: one delete of a link Belvo no longer has, one of a link it has.
    const seeded = createBelvoSim({ clock: createManualClock(), ticker: false });
    const existing = seeded.links()[0] as Link;
    seeded.close();
    const db = await openDatabase(join(dir, 'linkdesk.sqlite'));
    const before = createAuditLog(db, createManualClock(Date.now() - 60_000), {
      key: loadAuditKey({ key: null, file: join(dir, 'audit.key') }),
      checkpoint: createFileCheckpoint(join(dir, 'audit.head')),
    });
    await before.attempt('link.delete', { actor: 'support', role: 'support' }, { link_id: '00000000-0000-4000-8000-000000000000' });
    await before.attempt('link.delete', { actor: 'support', role: 'support' }, { link_id: existing.id });
    await db.destroy();

    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    server = await main({ PORT: '0', LINKDESK_DATA_DIR: dir, LOG_LEVEL: 'silent' }, { staticDir: null });
    log.mockRestore();
    const check = await openDatabase(join(dir, 'linkdesk.sqlite'));
    const results = () => check.selectFrom('audit_log').select(['link_id', 'outcome']).where('phase', '=', 'result').orderBy('id').execute();
    await vi.waitFor(async () => expect(await results()).toHaveLength(2), { timeout: 10_000 });
    expect(await results()).toEqual([
      { link_id: '00000000-0000-4000-8000-000000000000', outcome: 'success' },
      { link_id: existing.id, outcome: 'not_done' },
    ]);
    await check.destroy();
  });
});
