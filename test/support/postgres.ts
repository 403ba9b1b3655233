import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../src/server/store/database.ts';

export type Backend = 'sqlite' | 'postgres';

/** The throwaway cluster's admin URL (test/support/postgres-setup.ts), or null when it was skipped. */
export const postgresUrl = (): string | null => inject('postgresUrl');

/** The backends these tests run on here: SQLite always, PostgreSQL when the cluster is up. */
export const backends = (): Backend[] => (postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite']);

/**
 * A fresh, empty database: a SQLite file in a temporary folder, or a new database in the test
 * cluster. `connect()` opens it (migrating it the first time); each call on PostgreSQL is a
 * connection pool of its own, as another Linkdesk instance would have. SQLite is one process's
 * store: a second connection in the same process would wait on the first with the event loop
 * blocked, so `connect()` hands out the one connection again (other processes, such as the CLI,
 * take turns through the file lock).
 */
export async function freshDatabase(backend: Backend): Promise<{ location: string; connect(): Promise<Db>; drop(): Promise<void> }> {
  const opened: Db[] = [];
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'linkdesk-store-'));
    const location = join(dir, 'linkdesk.sqlite');
    let shared: Promise<Db> | null = null;
    return {
      location,
      connect: () => (shared ??= openDatabase(location).then((db) => (opened.push(db), db))),
      async drop() {
        await Promise.all(opened.map((db) => db.destroy()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = postgresUrl();
  if (!admin) throw new Error('PostgreSQL is not available in this run');
  const name = `linkdesk_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const location = admin.replace(/\/[^/]*$/, `/${name}`);
  return {
    location,
    async connect() {
      const db = await openDatabase(location, { poolSize: 5 });
      opened.push(db);
      // Connections opened now, as a running instance's would be: a test's first concurrent
      // requests otherwise race against connection set-up, which no real deployment sees.
      await Promise.all(Array.from({ length: 5 }, () => sql`SELECT pg_sleep(0.005)`.execute(db)));
      return db;
    },
    async drop() {
      await Promise.all(opened.map((db) => db.destroy()));
      const cleanup = new pg.Client({ connectionString: admin });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
