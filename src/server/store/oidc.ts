import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import type { Role } from '../../contract/roles.ts';
import { locks, serialized, type Db } from './database.ts';

/** How long a person has between leaving for the provider and coming back. */
export const pendingLoginMs = 10 * 60_000;

/** Logins in flight kept at most; far more people than sign in within ten minutes. */
const maxPendingLogins = 10_000;

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

export interface PendingLogin {
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface SsoUser {
  id: number;
  username: string;
  role: Role;
  /** The role before this sign-in, when it changed (or null for a first sign-in). */
  previousRole: Role | null;
}

/**
 * What OpenID Connect sign-in keeps: logins in flight (looked up by the hash of `state` and bound
 * to the browser by the hash of a cookie; each is taken once), the people the provider vouched
 * for, and the ID token each SSO session needs for RP-initiated logout.
 */
export function createOidcStore(db: Db, clock: Clock) {
  const byIdentity = (executor: Db, identity: string) => executor.selectFrom('users').select(['id', 'username', 'role']).where('identity', '=', identity).executeTakeFirst();

  return {
    async addLogin(state: string, binding: string, login: PendingLogin) {
      const now = clock.now();
      await db.deleteFrom('oidc_logins').where('created_at', '<=', now - pendingLoginMs).execute();
      // Anyone may start a login, so the table keeps only the newest ones, whatever is sent at it.
      const oldestKept = await db.selectFrom('oidc_logins').select('created_at').orderBy('created_at', 'desc').offset(maxPendingLogins - 1).limit(1).executeTakeFirst();
      if (oldestKept) await db.deleteFrom('oidc_logins').where('created_at', '<', oldestKept.created_at).execute();
      await db
        .insertInto('oidc_logins')
        .values({ state_hash: digest(state), binding_hash: digest(binding), nonce: login.nonce, code_verifier: login.codeVerifier, return_to: login.returnTo, created_at: now })
        .execute();
    },
    /**
     * The login this `state` started, once: a second callback with the same state finds nothing
     * (on any instance: the delete decides). Null too when it is older than ten minutes or was
     * started in another browser.
     */
    async takeLogin(state: string, binding: string | null): Promise<PendingLogin | null> {
      const row = await db
        .deleteFrom('oidc_logins')
        .where('state_hash', '=', digest(state))
        .returning(['binding_hash', 'nonce', 'code_verifier', 'return_to', 'created_at'])
        .executeTakeFirst();
      if (!row || binding === null || row.binding_hash !== digest(binding) || clock.now() - row.created_at >= pendingLoginMs) return null;
      return { nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
    },
    /**
     * The users row for this provider identity, created at the first sign-in and given the role
     * the provider's claims map to at every sign-in. The username is the person's email (or
     * preferred username, or subject); if a local account already has it, the SSO one gets a
     * suffix rather than ever sharing the local account.
     */
    upsertUser(identity: string, preferredName: string, role: Role): Promise<SsoUser> {
      return serialized(db, locks.users, async (trx) => {
        const now = clock.now();
        const existing = await byIdentity(trx, identity);
        if (existing) {
          if (existing.role !== role) await trx.updateTable('users').set({ role, updated_at: now }).where('id', '=', existing.id).execute();
          return { id: existing.id, username: existing.username, role, previousRole: existing.role === role ? null : existing.role };
        }
        const base = preferredName.trim().toLowerCase().slice(0, 120) || 'sso-user';
        let username = base;
        const taken = await trx.selectFrom('users').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
        if (taken) username = `${base}~${digest(identity).slice(0, 6)}`;
        const row = await trx
          .insertInto('users')
          .values({ username, password_hash: '', role, created_at: now, updated_at: now, identity })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { id: Number(row.id), username, role, previousRole: null };
      });
    },
    async findUser(identity: string) {
      return (await byIdentity(db, identity)) ?? null;
    },
    async setIdToken(sessionToken: string, idToken: string) {
      await db
        .insertInto('oidc_sessions')
        .values({ session_token_hash: digest(sessionToken), id_token: idToken })
        .onConflict((conflict) => conflict.column('session_token_hash').doUpdateSet({ id_token: (eb) => eb.ref('excluded.id_token') }))
        .execute();
    },
    /** The ID token of an SSO session (null for a local one); read before the session ends. */
    async idTokenFor(sessionToken: string): Promise<string | null> {
      const row = await db.selectFrom('oidc_sessions').select('id_token').where('session_token_hash', '=', digest(sessionToken)).executeTakeFirst();
      return row?.id_token ?? null;
    },
  };
}
export type OidcStore = ReturnType<typeof createOidcStore>;
