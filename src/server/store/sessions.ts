import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import type { Db } from './database.ts';
import type { Role } from './users.ts';

/** OWASP ASVS 5.0 V7: an idle timeout and an absolute one; both on the server. */
export const sessionIdleMs = 30 * 60_000;
export const sessionAbsoluteMs = 12 * 3_600_000;

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions are random 256-bit tokens; only their hash is stored, so a copy of the database signs no
 * one in. Every request reads its session (and the user's current role) from SQLite, with no cache
 * in between: a removal, a role change or a password reset, made here or by the CLI in another
 * process, applies to the very next request. The read is one indexed lookup, a few microseconds.
 */
export function createSessionStore(db: Db, clock: Clock) {
  const statements = {
    insert: db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    find: db.prepare(
      `SELECT s.token_hash, s.last_seen_at, s.expires_at, u.id, u.username, u.role
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`,
    ),
    touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?'),
    remove: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    removeForUser: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
    prune: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?'),
  };
  return {
    create(userId: number): { token: string; expiresAt: number } {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      statements.prune.run(now, now - sessionIdleMs);
      statements.insert.run(digest(token), userId, now, now, now + sessionAbsoluteMs);
      return { token, expiresAt: now + sessionAbsoluteMs };
    },
    /** The signed-in user, or null when the token is unknown, idle too long or past its end. */
    resolve(token: string): SessionUser | null {
      const hashed = digest(token);
      const now = clock.now();
      const row = statements.find.get(hashed) as
        | { token_hash: string; last_seen_at: number; expires_at: number; id: number; username: string; role: Role }
        | undefined;
      if (!row) return null;
      if (now >= row.expires_at || now - row.last_seen_at >= sessionIdleMs) {
        statements.remove.run(hashed);
        return null;
      }
      // Write at most once a minute: most requests are reads and should not each cost a write.
      if (now - row.last_seen_at > 60_000) statements.touch.run(now, hashed);
      return { id: row.id, username: row.username, role: row.role };
    },
    end(token: string) {
      statements.remove.run(digest(token));
    },
    endAllFor(userId: number) {
      statements.removeForUser.run(userId);
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
