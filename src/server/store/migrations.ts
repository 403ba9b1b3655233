import type Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { cooldownsAndOperations, keyedAudit, openAttemptsIndex, openIdConnect, signInThrottle, staffAndAudit } from './migrations/console.ts';
import { bulkJobs, sharedInstances } from './migrations/jobs-and-instances.ts';
import { linkIndex, removedLinks } from './migrations/link-index.ts';
import type { Migration } from './migrations/migration.ts';
import type { Schema } from './schema.ts';

/**
 * Forward-only schema migrations, applied in order inside one transaction each. Append only: a
 * user's database is at some version of this list. The SQLite text of each entry is what that
 * version always ran and never changes; the PostgreSQL text makes the same tables and indexes
 * (BIGINT for epoch milliseconds, identity columns for INTEGER PRIMARY KEY, triggers as functions).
 */
const migrations: Migration[] = [
  cooldownsAndOperations,
  staffAndAudit,
  linkIndex,
  signInThrottle,
  keyedAudit,
  openAttemptsIndex,
  openIdConnect,
  bulkJobs,
  sharedInstances,
  removedLinks,
];

/**
 * The audit log's append-only triggers, recreated at every start: someone with the database may
 * have dropped or replaced them. PostgreSQL also refuses TRUNCATE, which skips row triggers.
 */
const auditTriggers = {
  sqlite: `
    DROP TRIGGER IF EXISTS audit_log_no_update;
    DROP TRIGGER IF EXISTS audit_log_no_delete;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  postgres: `
    CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log;
    DROP TRIGGER IF EXISTS audit_log_no_delete ON audit_log;
    DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `,
};

/** The schema's version: how many migrations this code knows. */
export const schemaVersion = migrations.length;

/**
 * SQLite: synchronous, on the raw connection before Kysely wraps it (better-sqlite3 runs a
 * multi-statement script only through exec). Another process starting at the same moment waits on
 * the write lock (busy_timeout) and then finds the versions applied.
 */
export function migrateSqlite(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((row) => row.version),
  );
  migrations.forEach((migration, index) => {
    const version = index + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(migration.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    }).immediate();
  });
  db.exec(auditTriggers.sqlite);
}

/** Held while migrating PostgreSQL, so that instances starting together migrate one at a time. */
const migrationLock = 0x4c44_0001;

/**
 * PostgreSQL: every missing version and the triggers in one transaction (DDL is transactional
 * there), under an advisory lock: a second instance starting at the same moment waits, then finds
 * nothing left to do.
 */
export async function migratePostgres(db: Kysely<Schema>) {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${migrationLock})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`.execute(trx);
    const applied = new Set((await trx.selectFrom('schema_migrations').select('version').execute()).map((row) => row.version));
    for (const [index, migration] of migrations.entries()) {
      const version = index + 1;
      if (applied.has(version)) continue;
      // A script without parameters goes over the simple protocol, which runs several statements.
      await sql.raw(migration.postgres).execute(trx);
      await trx.insertInto('schema_migrations').values({ version, applied_at: new Date().toISOString() }).execute();
    }
    await sql.raw(auditTriggers.postgres).execute(trx);
  });
}
