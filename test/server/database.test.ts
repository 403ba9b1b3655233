import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import { ConfigError, databaseLocation, loadConfig } from '../../src/server/config.ts';
import { createMemoryCheckpoint, type AuditHead } from '../../src/server/store/audit-key.ts';
import { openDatabase, redactDatabaseUrl } from '../../src/server/store/database.ts';
import { schemaVersion } from '../../src/server/store/migrations.ts';
import { createStores } from '../../src/server/store/stores.ts';
import { testAuditKey } from '../support/stack.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

describe('an existing SQLite database', () => {
  it('made by the version before the move to Kysely opens in place, with its data, chain and index intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkdesk-upgrade-'));
    dirs.push(dir);
    const path = join(dir, 'linkdesk.sqlite');
    copyFileSync(fixture('linkdesk-main-v7.sqlite'), path);
    const checkpoint = createMemoryCheckpoint();
    checkpoint.write(JSON.parse(readFileSync(fixture('linkdesk-main-v7.head.json'), 'utf8')) as AuditHead);
    const clock = createManualClock();
    const db = await openDatabase(path);
    try {
      const versions = await db.selectFrom('schema_migrations').select('version').execute();
      expect(versions).toHaveLength(schemaVersion);
      const stores = createStores(db, clock, { auditKey: testAuditKey, auditCheckpoint: checkpoint });
      expect((await stores.users.list()).map((user) => `${user.username}:${user.role}`)).toEqual(['ana:admin', 'bruno:support']);
      expect(await stores.users.verify('ana', 'a-long-enough-password')).toMatchObject({ username: 'ana', sso: false });
      expect(await stores.operations.cooldown('11111111-1111-4111-8111-111111111111')).toMatchObject({ source: 'linkdesk' });
      expect(await stores.operations.operation('req-1')).toMatchObject({ kind: 'delete', state: 'pending' });
      expect(await stores.operations.hasWebhook('wh-1')).toBe(true);
      expect(await stores.audit.verify()).toEqual({ ok: true, entries: 3, unkeyed_entries: 0, last_id: 3, problems: [] });
      // New entries chain onto the old ones.
      await stores.audit.note('sign_out', { actor: 'ana', role: 'admin' }, 'success');
      expect(await stores.audit.verify()).toMatchObject({ ok: true, entries: 4, last_id: 4 });
      const page = await stores.linkIndex.page({ q: 'client-1' }, 'created_at', 'desc', 1, 10, clock.now(), { refreshRateFactor: 2, brokenDays: 7 });
      expect(page.results.map((link) => link.id)).toEqual(['22222222-2222-4222-8222-222222222222']);
    } finally {
      await db.destroy();
    }
  });
});

describe('LINKDESK_DATABASE_URL', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return '';
  };

  it('unset keeps SQLite in the data folder; a postgres:// or postgresql:// URL switches to PostgreSQL', () => {
    expect(databaseLocation(loadConfig({ LINKDESK_DATA_DIR: '/var/lib/linkdesk' }))).toBe('/var/lib/linkdesk/linkdesk.sqlite');
    expect(databaseLocation(loadConfig({ LINKDESK_DATABASE_URL: ' ' }))).toBe('.data/linkdesk.sqlite');
    expect(loadConfig({ LINKDESK_DATABASE_URL: 'postgres://linkdesk:pw@db.internal:5432/linkdesk' }).databaseUrl).toBe('postgres://linkdesk:pw@db.internal:5432/linkdesk');
    expect(loadConfig({ LINKDESK_DATABASE_URL: 'postgresql://db.internal/linkdesk' }).databaseUrl).toBe('postgresql://db.internal/linkdesk');
  });

  it('refuses anything else with a clear message that never repeats the password', () => {
    for (const value of ['mysql://linkdesk:s3cret-pw@db/linkdesk', 'postgres://', 'linkdesk:s3cret-pw@db', '/var/lib/linkdesk.sqlite']) {
      const message = problems({ LINKDESK_DATABASE_URL: value });
      expect(message).toContain('LINKDESK_DATABASE_URL must be a postgres:// or postgresql:// URL');
      expect(message).not.toContain('s3cret-pw');
    }
  });

  it('is named in logs and errors with its password redacted', async () => {
    expect(redactDatabaseUrl('postgres://linkdesk:s3cret-pw@db.internal:5432/linkdesk')).toBe('postgres://linkdesk:***@db.internal:5432/linkdesk');
    expect(redactDatabaseUrl('/data/linkdesk.sqlite')).toBe('/data/linkdesk.sqlite');
    // Nothing listens on port 1: the connection fails, and the error names the database without its password.
    const failure = await openDatabase('postgres://linkdesk:s3cret-pw@127.0.0.1:1/linkdesk').then(
      () => null,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toContain('Could not open PostgreSQL at postgres://linkdesk:***@127.0.0.1:1/linkdesk');
    expect(failure?.message).not.toContain('s3cret-pw');
  });
});
