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
 * one in. Every request reads its session (and the user's current role) from the database, with no
 * cache in between: a removal, a role change or a password reset, made here, by the CLI in another
 * process or by another instance on the same PostgreSQL, applies to the very next request. The
 * read is one indexed lookup.
 */
export function createSessionStore(db: Db, clock: Clock) {
  const remove = (hashed: string) => db.deleteFrom('sessions').where('token_hash', '=', hashed).execute();
  return {
    async create(userId: number): Promise<{ token: string; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - sessionIdleMs)]))
        .execute();
      await db
        .insertInto('sessions')
        .values({ token_hash: digest(token), user_id: userId, created_at: now, last_seen_at: now, expires_at: now + sessionAbsoluteMs })
        .execute();
      return { token, expiresAt: now + sessionAbsoluteMs };
    },
    /** The signed-in user, or null when the token is unknown, idle too long or past its end. */
    async resolve(token: string): Promise<SessionUser | null> {
      const hashed = digest(token);
      const now = clock.now();
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.last_seen_at', 's.expires_at', 'u.id', 'u.username', 'u.role'])
        .where('s.token_hash', '=', hashed)
        .executeTakeFirst();
      if (!row) return null;
      if (now >= row.expires_at || now - row.last_seen_at >= sessionIdleMs) {
        await remove(hashed);
        return null;
      }
      // Write at most once a minute: most requests are reads and should not each cost a write.
      if (now - row.last_seen_at > 60_000) await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', hashed).execute();
      return { id: row.id, username: row.username, role: row.role };
    },
    async end(token: string) {
      await remove(digest(token));
    },
    async endAllFor(userId: number) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
