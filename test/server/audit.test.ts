import { sql } from 'kysely';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { Link } from '../../src/contract/links.ts';
import type { AuditEntry } from '../../src/contract/bff/audit.ts';
import { createAuditLog } from '../../src/server/store/audit.ts';
import { loadAuditKey } from '../../src/server/store/audit-key.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { createTestStack, testAuditKey, testPassword, testWebhookAuthorization, type TestStack } from '../support/stack.ts';

let stack: TestStack;
afterEach(() => stack?.close());

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const entries = async (s: TestStack, query = '') =>
  ((await (await s.request(`/bff/audit${query}`)).json()) as { entries: AuditEntry[] }).entries;
const pairs = (list: AuditEntry[], action: string) => list.filter((entry) => entry.action === action).map((entry) => `${entry.phase}:${entry.outcome}`).reverse();

describe('the audit log records each action when attempted and when it ends', () => {
  it('sign-in (success and failure) and sign-out, never with the password', async () => {
    stack = await createTestStack();
    await stack.anonymous('/bff/session', { method: 'POST', ...json({ username: 'support', password: testPassword }) });
    await stack.anonymous('/bff/session', { method: 'POST', ...json({ username: 'support', password: 'wrong-password-123' }) });
    await stack.anonymous('/bff/session', { method: 'POST', ...json({ username: 'correct-horse-typed-into-username', password: 'x' }) });
    await stack.as('support')('/bff/session', { method: 'DELETE' });
    const log = await entries(stack);
    // One row per password check: a sign-in is over when the check is, so there is no "attempted" row.
    expect(pairs(log, 'sign_in')).toEqual(['result:success', 'result:failure', 'result:failure']);
    expect(log.filter((entry) => entry.action === 'sign_in').map((entry) => entry.actor)).toContain('(unknown user)');
    expect(pairs(log, 'sign_out')).toEqual(['attempt:attempted', 'result:success']);
    const text = JSON.stringify(log);
    expect(text).not.toContain(testPassword);
    expect(text).not.toContain('wrong-password-123');
    expect(text).not.toContain('correct-horse-typed-into-username');
  });

  it('an async delete: attempt, accepted with Belvo’s request_id, then confirmed by the webhook', async () => {
    stack = await createTestStack();
    const link = stack.sim.links().find((candidate) => candidate.external_id) as Link;
    const response = await stack.as('support')(`/api/links/${link.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } });
    const { request_id } = (await response.json()) as { request_id: string };
    stack.clock.advance(3_000);
    await stack.sim.webhooks.settle();
    const log = (await entries(stack, `?link_id=${link.id}`)).reverse();
    expect(log.map((entry) => [entry.actor, entry.role, entry.action, entry.phase, entry.outcome, entry.external_id, entry.belvo_request_id])).toEqual([
      ['support', 'support', 'link.delete', 'attempt', 'attempted', null, null],
      ['support', 'support', 'link.delete', 'result', 'accepted', link.external_id, request_id],
      ['belvo (webhook)', null, 'link.delete', 'result', 'confirmed', link.external_id, request_id],
    ]);
    expect(log[0]?.detail).toEqual({ mode: 'async' });
  });

  it('a refresh, an MFA resume and a registration, with their outcomes', async () => {
    stack = await createTestStack();
    const valid = stack.sim.links().find((candidate) => candidate.status === 'valid' && candidate.institution.endsWith('_retail')) as Link;
    await stack.as('support')(`/api/links/${valid.id}/refresh/`, { method: 'POST', ...json({ fetch_resources: ['ACCOUNTS'] }) });
    await stack.as('support')(`/api/links/${valid.id}/refresh/`, { method: 'POST' });
    const registered = await stack.as('qa')('/api/links/', { method: 'POST', ...json({ institution: 'heimdall_mx_retail', username: 'mfa_inputless', password: 'pass_valid', external_id: 'qa-trace-1' }) });
    const [challenge] = (await registered.json()) as { session: string; link: string }[];
    await stack.as('qa')('/api/links/', { method: 'PATCH', ...json({ session: challenge?.session, link: challenge?.link, token: '999999' }) });
    await stack.as('qa')('/api/links/', { method: 'PATCH', ...json({ session: challenge?.session, link: challenge?.link, token: '111111' }) });
    const log = await entries(stack);
    expect(pairs(log, 'link.refresh')).toEqual(['attempt:attempted', 'result:accepted', 'attempt:attempted', 'result:blocked']);
    expect(log.find((entry) => entry.action === 'link.refresh' && entry.phase === 'attempt')?.detail).toEqual({ resources: 'all' });
    expect(pairs(log, 'link.register')).toEqual(['attempt:attempted', 'result:token_required']);
    expect(log.find((entry) => entry.action === 'link.register' && entry.phase === 'result')).toMatchObject({ link_id: challenge?.link, external_id: 'qa-trace-1' });
    expect(pairs(log, 'link.mfa_resume')).toEqual(['attempt:attempted', 'result:refused', 'attempt:attempted', 'result:success']);
    const text = JSON.stringify(log);
    expect(text).not.toContain('111111');
    expect(text).not.toContain('999999');
    expect(text).not.toContain('pass_valid');
    expect(text).not.toContain(challenge?.session ?? 'no session');
  });

  it('a refused attempt (a viewer trying to delete) is recorded as denied', async () => {
    stack = await createTestStack();
    const link = stack.sim.links()[0] as Link;
    await stack.as('viewer')(`/api/links/${link.id}/`, { method: 'DELETE' });
    expect(pairs(await entries(stack, '?actor=viewer'), 'link.delete')).toEqual(['attempt:attempted', 'result:denied']);
  });

  it('user changes from the API and from the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkdesk-cli-'));
    try {
      const cli = (args: string[], input = '') =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/user.ts', ...args], {
          cwd: resolve(import.meta.dirname, '../..'),
          env: { PATH: process.env.PATH ?? '', LINKDESK_DATA_DIR: dir },
          input,
          encoding: 'utf8',
        });
      expect(cli(['add', 'Dana', '--role', 'support', '--password-stdin'], 'a strong passphrase here\n')).toMatchObject({ status: 0, stdout: 'Added dana (support).\n' });
      expect(cli(['add', 'erin', '--role', 'viewer', '--password-stdin'], 'short\n')).toMatchObject({ status: 1, stderr: 'Use at least 12 characters.\n' });
      const generated = cli(['add', 'fay', '--role', 'admin']);
      expect(generated.stdout).toMatch(/^Added fay \(admin\)\.\nPassword \(shown once\): \S{16,}\n$/);
      expect(cli(['set-role', 'dana', 'qa']).status).toBe(0);
      expect(cli(['reset-password', 'dana', '--password-stdin'], 'another strong passphrase\n').status).toBe(0);
      expect(cli(['remove', 'fay']).stderr).toBe('This is the last admin; make someone else admin first.\n');
      expect(cli(['list']).stdout).toBe(`dana                     qa       since ${new Date().toISOString().slice(0, 10)}\nfay                      admin    since ${new Date().toISOString().slice(0, 10)}\n`);
      expect(cli(['frobnicate']).status).toBe(2);

      const db = await openDatabase(join(dir, 'linkdesk.sqlite'));
      const log = await createAuditLog(db, createManualClock(), { key: loadAuditKey({ key: null, file: join(dir, 'audit.key') }) }).list();
      expect(log.map((entry) => `${entry.action}:${entry.outcome}`).reverse()).toEqual([
        'user.add:attempted',
        'user.add:success',
        'user.add:attempted',
        'user.add:failure',
        'user.add:attempted',
        'user.add:success',
        'user.set_role:attempted',
        'user.set_role:success',
        'user.reset_password:attempted',
        'user.reset_password:success',
        'user.remove:attempted',
        'user.remove:failure',
      ]);
      expect(log[0]?.actor).toMatch(/^cli \(/);
      expect(JSON.stringify(log)).not.toMatch(/passphrase|short/);
      await db.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Nine CLI processes, each starting Node and tsx: about 0.4 s each alone, several times that on
    // a loaded two-core machine.
  }, 60_000);
});

describe('the audit log cannot be quietly changed', () => {
  it('refuses UPDATE and DELETE at the database, and offers no route to change it', async () => {
    stack = await createTestStack();
    await stack.as('viewer')(`/api/links/${stack.sim.links()[0]?.id}/`, { method: 'DELETE' });
    await expect(sql`UPDATE audit_log SET outcome = 'success'`.execute(stack.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(stack.db)).rejects.toThrow(/append-only/);
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const response = await stack.request('/bff/audit', { method });
      expect([404, 405]).toContain(response.status);
    }
  });

  it('detects an edit made around the triggers, through the hash chain', async () => {
    stack = await createTestStack();
    await stack.as('viewer')(`/api/links/${stack.sim.links()[0]?.id}/`, { method: 'DELETE' });
    await stack.as('viewer')(`/api/links/${stack.sim.links()[1]?.id}/`, { method: 'DELETE' });
    expect(await (await stack.request('/bff/audit/verify')).json()).toEqual({ ok: true, entries: 4, unkeyed_entries: 0, last_id: 4, problems: [] });
    await sql`DROP TRIGGER audit_log_no_update`.execute(stack.db);
    await sql`UPDATE audit_log SET outcome = 'success' WHERE id = 2`.execute(stack.db);
    expect(await (await stack.request('/bff/audit/verify')).json()).toMatchObject({ ok: false, problems: [{ kind: 'broken', id: 2 }] });
  });
});

describe('reading the log', () => {
  it('filters by person, action, link, outcome and time; the CSV holds exactly the filtered rows', async () => {
    stack = await createTestStack();
    const [first, second] = stack.sim.links();
    await stack.as('viewer')(`/api/links/${first?.id}/`, { method: 'DELETE' });
    stack.clock.advance(60_000);
    await stack.as('support')(`/api/links/${second?.id}/`, { method: 'DELETE' });
    await stack.anonymous('/bff/session', { method: 'POST', ...json({ username: 'qa', password: '=HYPERLINK("http://evil")' }) });

    expect((await entries(stack, '?actor=viewer')).every((entry) => entry.actor === 'viewer')).toBe(true);
    expect(await entries(stack, '?outcome=denied')).toHaveLength(1);
    expect((await entries(stack, `?link_id=${second?.id}`)).map((entry) => entry.outcome).sort()).toEqual(['attempted', 'success']);
    // The short id shown on every screen finds the same entries.
    expect((await entries(stack, `?link_id=${second?.id.slice(0, 8)}`)).map((entry) => entry.link_id)).toEqual([second?.id, second?.id]);
    const since = new Date(Date.parse('2026-11-25T12:00:30Z')).toISOString();
    expect((await entries(stack, `?from=${since}&action=link.delete`)).every((entry) => entry.actor === 'support')).toBe(true);

    const csv = await stack.request(`/bff/audit.csv?action=link.delete&from=${since}`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="linkdesk-audit-/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,role,action,phase,outcome,link_id,external_id,belvo_request_id,correlation_id,detail');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes('"support"') && line.includes(`"${second?.id}"`))).toBe(true);
  });

  it('rejects a filter it cannot read, naming it', async () => {
    stack = await createTestStack();
    const response = await stack.request('/bff/audit?from=yesterday&action=explode&colour=red');
    expect(response.status).toBe(400);
    const fields = ((await response.json()) as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(['action', 'colour', 'from']);
  });

  it('defuses spreadsheet formulas in CSV cells', async () => {
    stack = await createTestStack();
    await stack.request('/bff/users', { method: 'POST', ...json({ username: 'x', password: 'short', role: 'viewer' }) });
    await stack.request('/webhooks/belvo', { method: 'POST', headers: { authorization: testWebhookAuthorization } });
    const db = stack.db;
    const log = createAuditLog(db, stack.clock, { key: testAuditKey });
    await (await log.attempt('user.add', { actor: '=cmd|calc', role: null }))('failure');
    const text = await (await stack.request('/bff/audit.csv')).text();
    expect(text).toContain(`"'=cmd|calc"`);
    expect(text).not.toMatch(/(^|,)"=/m);
  });
});
