import { createHash } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import type { Role } from '../../contract/roles.ts';
import type { Db } from './database.ts';

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
  const statements = {
    addLogin: db.prepare('INSERT INTO oidc_logins (state_hash, binding_hash, nonce, code_verifier, return_to, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    takeLogin: db.prepare('DELETE FROM oidc_logins WHERE state_hash = ? RETURNING binding_hash, nonce, code_verifier, return_to, created_at'),
    pruneLogins: db.prepare('DELETE FROM oidc_logins WHERE created_at <= ?'),
    // Anyone may start a login, so the table keeps only the newest ones, whatever is sent at it.
    capLogins: db.prepare(`DELETE FROM oidc_logins WHERE state_hash IN (SELECT state_hash FROM oidc_logins ORDER BY created_at DESC LIMIT -1 OFFSET ${maxPendingLogins})`),
    byIdentity: db.prepare('SELECT id, username, role FROM users WHERE identity = ?'),
    nameTaken: db.prepare('SELECT 1 FROM users WHERE username = ?'),
    insertUser: db.prepare("INSERT INTO users (username, password_hash, role, created_at, updated_at, identity) VALUES (?, '', ?, ?, ?, ?)"),
    setRole: db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?'),
    setIdToken: db.prepare('INSERT OR REPLACE INTO oidc_sessions (session_token_hash, id_token) VALUES (?, ?)'),
    idToken: db.prepare('SELECT id_token FROM oidc_sessions WHERE session_token_hash = ?'),
  };

  return {
    addLogin(state: string, binding: string, login: PendingLogin) {
      const now = clock.now();
      statements.pruneLogins.run(now - pendingLoginMs);
      statements.capLogins.run();
      statements.addLogin.run(digest(state), digest(binding), login.nonce, login.codeVerifier, login.returnTo, now);
    },
    /**
     * The login this `state` started, once: a second callback with the same state finds nothing.
     * Null too when it is older than ten minutes or was started in another browser.
     */
    takeLogin(state: string, binding: string | null): PendingLogin | null {
      const row = statements.takeLogin.get(digest(state)) as
        | { binding_hash: string; nonce: string; code_verifier: string; return_to: string; created_at: number }
        | undefined;
      if (!row || binding === null || row.binding_hash !== digest(binding) || clock.now() - row.created_at >= pendingLoginMs) return null;
      return { nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
    },
    /**
     * The users row for this provider identity, created at the first sign-in and given the role
     * the provider's claims map to at every sign-in. The username is the person's email (or
     * preferred username, or subject); if a local account already has it, the SSO one gets a
     * suffix rather than ever sharing the local account.
     */
    upsertUser: db.transaction((identity: string, preferredName: string, role: Role): SsoUser => {
      const now = clock.now();
      const existing = statements.byIdentity.get(identity) as { id: number; username: string; role: Role } | undefined;
      if (existing) {
        if (existing.role !== role) statements.setRole.run(role, now, existing.id);
        return { id: existing.id, username: existing.username, role, previousRole: existing.role === role ? null : existing.role };
      }
      const base = preferredName.trim().toLowerCase().slice(0, 120) || 'sso-user';
      let username = base;
      if (statements.nameTaken.get(username)) username = `${base}~${digest(identity).slice(0, 6)}`;
      const id = Number(statements.insertUser.run(username, role, now, now, identity).lastInsertRowid);
      return { id, username, role, previousRole: null };
    }),
    findUser(identity: string) {
      return (statements.byIdentity.get(identity) as { id: number; username: string; role: Role } | undefined) ?? null;
    },
    setIdToken(sessionToken: string, idToken: string) {
      statements.setIdToken.run(digest(sessionToken), idToken);
    },
    /** The ID token of an SSO session (null for a local one); read before the session ends. */
    idTokenFor(sessionToken: string): string | null {
      return (statements.idToken.get(digest(sessionToken)) as { id_token: string } | undefined)?.id_token ?? null;
    },
  };
}
export type OidcStore = ReturnType<typeof createOidcStore>;
