import Database from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { migratePostgres, migrateSqlite } from './migrations.ts';
import type { Schema } from './schema.ts';

/**
 * Linkdesk's own state, shared by every dashboard user and kept across restarts: refresh
 * cooldowns, the sync-delete budget, pending async operations, webhooks received, staff accounts,
 * sessions, sign-in throttling, the audit log and the link index. One query layer (Kysely) over
 * either SQLite (better-sqlite3; one file to back up, nothing to set up; `:memory:` for tests) or
 * PostgreSQL (`LINKDESK_DATABASE_URL`). All SQL lives in this folder; where the two databases
 * differ, the difference is in this file or next to the one query it concerns.
 */
export type Db = Kysely<Schema>;

export type DatabaseKind = 'sqlite' | 'postgres';

export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

export function databaseKind(db: Db): DatabaseKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** A URL or path fit for a log line: the password of a postgres:// URL is never shown. */
export function redactDatabaseUrl(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * better-sqlite3 behind Kysely, keeping prepared statements: Kysely prepares every query it runs,
 * and preparing costs more than running most of ours. Kysely compiles the same text for the same
 * query shape, so a small cache serves nearly every call.
 */
function cachingSqlite(raw: Database.Database, size = 500): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(text: string): SqliteStatement {
      let statement = statements.get(text);
      if (statement) {
        statements.delete(text);
      } else {
        statement = raw.prepare(text);
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      }
      statements.set(text, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  migrateSqlite(raw);
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingSqlite(raw) }) });
}

/** BIGINT (epoch milliseconds, ids, count(*)) as a number: every value we keep is far below 2^53. */
const int8 = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string, poolSize: number): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes });
  // An idle client that loses its server (a restart) emits here; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open PostgreSQL at ${redactDatabaseUrl(url)}: ${reason.replaceAll(url, redactDatabaseUrl(url))}`, { cause: error });
  }
  return db;
}

/**
 * Opens (and migrates) the database: PostgreSQL for a postgres:// URL, otherwise the SQLite file
 * at this path. Close it with `db.destroy()`.
 */
export async function openDatabase(location: string, options: { poolSize?: number } = {}): Promise<Db> {
  return isPostgresUrl(location) ? openPostgres(location, options.poolSize ?? 10) : openSqlite(location);
}

/** Advisory lock keys (PostgreSQL): one per piece of state whose read-then-write must not interleave. */
export const locks = {
  syncDeletes: 0x4c44_0010,
  signIn: 0x4c44_0011,
  auditChain: 0x4c44_0012,
  oidcUsers: 0x4c44_0013,
  users: 0x4c44_0014,
  linkIndex: 0x4c44_0015,
  operations: 0x4c44_0016,
  jobs: 0x4c44_0017,
  upstreamWindow: 0x4c44_0018,
} as const;

/**
 * Runs `work` in one transaction that no other writer can interleave with: the read-then-write
 * sections (the sign-in throttle's count and reservation, the sync-delete budget, the audit
 * chain's append) rely on it.
 *
 * - SQLite: BEGIN IMMEDIATE takes the database's write lock at once, so another process (the CLI)
 *   waits; inside this process Kysely's single connection serialises everything anyway. `work`
 *   must run its queries on the connection it is given: the root `db` would wait for this
 *   transaction to end, forever.
 * - PostgreSQL: a transaction holding `pg_advisory_xact_lock(lock)`, so instances on the same
 *   database take turns on that lock until commit; under READ COMMITTED each statement after the
 *   lock sees what the previous holder committed.
 */
export async function serialized<T>(db: Db, lock: number, work: (trx: Db) => Promise<T>): Promise<T> {
  if (databaseKind(db) === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${lock})`.execute(trx);
      return work(trx);
    });
  }
  return db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      const result = await work(connection);
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection);
      throw error;
    }
  });
}

/** `greatest(a, b)`: SQLite spells the two-argument maximum `max(a, b)`. */
export const greatest = (db: Db) => (databaseKind(db) === 'postgres' ? sql.raw('greatest') : sql.raw('max'));
