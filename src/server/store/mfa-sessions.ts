import { createHash } from 'node:crypto';
import type { Db } from './database.ts';

export interface MfaSessionRow {
  linkId: string;
  purpose: 'refresh' | 'register' | 'other';
  resources: string[] | null;
  expiresAt: number;
}

/**
 * The MFA sessions Belvo opened with a 428, kept until resumed or expired, in the database so that
 * the resume may reach any instance. Belvo's session id is a handle to a login in progress: only
 * its hash is kept.
 */
export function createMfaSessionStore(db: Db) {
  const hashed = (session: string) => createHash('sha256').update(session).digest('hex');
  return {
    async remember(session: string, context: MfaSessionRow, now: number) {
      await db.deleteFrom('mfa_sessions').where('expires_at', '<', now).execute();
      await db
        .insertInto('mfa_sessions')
        .values({ session_hash: hashed(session), link_id: context.linkId, purpose: context.purpose, resources: context.resources ? JSON.stringify(context.resources) : null, expires_at: context.expiresAt })
        .onConflict((conflict) =>
          conflict.column('session_hash').doUpdateSet((eb) => ({
            link_id: eb.ref('excluded.link_id'),
            purpose: eb.ref('excluded.purpose'),
            resources: eb.ref('excluded.resources'),
            expires_at: eb.ref('excluded.expires_at'),
          })),
        )
        .execute();
    },
    async peek(session: string): Promise<MfaSessionRow | null> {
      const row = await db.selectFrom('mfa_sessions').selectAll().where('session_hash', '=', hashed(session)).executeTakeFirst();
      return row ? { linkId: row.link_id, purpose: row.purpose, resources: row.resources ? (JSON.parse(row.resources) as string[]) : null, expiresAt: row.expires_at } : null;
    },
    async forget(session: string) {
      await db.deleteFrom('mfa_sessions').where('session_hash', '=', hashed(session)).execute();
    },
  };
}
export type MfaSessionStore = ReturnType<typeof createMfaSessionStore>;
