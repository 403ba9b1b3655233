import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, restoreAuditTriggers } from './migrations.ts';

/**
 * Linkdesk's own state, shared by every dashboard user and kept across restarts: refresh
 * cooldowns, the sync-delete budget, pending async operations, webhooks received, staff accounts,
 * sessions, sign-in failures and the audit log. SQLite through better-sqlite3: synchronous, fast,
 * and one file to back up. `:memory:` for tests. All SQL lives in this folder.
 */
export type Db = Database.Database;

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  restoreAuditTriggers(db);
  return db;
}
