import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import { roles, type Role } from '../../contract/roles.ts';
import type { Db } from './database.ts';

export { roles, type Role };

export interface User {
  id: number;
  username: string;
  role: Role;
  created_at: number;
  updated_at: number;
  /** Signs in through the OpenID Connect provider (no local password). */
  sso: boolean;
}

/** OWASP's argon2id baseline: 19 MiB, two passes, one lane (Password Storage Cheat Sheet). */
// `Algorithm` is a const enum, which isolated modules cannot read: 2 is Argon2id.
const argon2Options = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,63}$/i;
export const minimumPasswordLength = 12;

export class UserError extends Error {
  constructor(
    readonly code: 'invalid_username' | 'weak_password' | 'duplicate_username' | 'not_found' | 'invalid_role' | 'last_admin' | 'sso_account',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function checkPassword(password: string, username: string): string | null {
  if (password.length < minimumPasswordLength) return `Use at least ${minimumPasswordLength} characters.`;
  if (password.length > 256) return 'Use at most 256 characters.';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'The password must not contain the username.';
  return null;
}

/**
 * A random password that `checkPassword` accepts for this username. 15 random bytes give 20
 * base64url characters (120 bits); a draw that happens to contain the username (a two-letter
 * name like `qa` turns up in about 1.5% of draws) is thrown away and drawn again, so a first start
 * or a CLI reset can never die on its own password rule.
 */
export function generatePassword(username: string, drawBytes: (size: number) => Buffer = randomBytes): string {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const password = drawBytes(15).toString('base64url');
    if (checkPassword(password, username) === null) return password;
  }
  throw new Error('Could not generate a password that passes the password rule in 100 draws; the random source is broken.');
}

export function createUserStore(db: Db, clock: Clock) {
  const statements = {
    byName: db.prepare('SELECT id, username, role, created_at, updated_at, identity IS NOT NULL AS sso, password_hash FROM users WHERE username = ?'),
    byId: db.prepare('SELECT id, username, role, created_at, updated_at, identity IS NOT NULL AS sso FROM users WHERE id = ?'),
    list: db.prepare('SELECT id, username, role, created_at, updated_at, identity IS NOT NULL AS sso FROM users ORDER BY username'),
    insert: db.prepare('INSERT INTO users (username, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    setRole: db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
    remove: db.prepare('DELETE FROM users WHERE id = ?'),
    admins: db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'"),
    count: db.prepare('SELECT COUNT(*) AS n FROM users'),
  };
  // Verifying against a real hash when the user does not exist keeps the answer time the same,
  // so timing does not tell whether a username exists.
  let decoy: Promise<string> | null = null;
  const decoyHash = () => (decoy ??= hash('decoy-password-for-unknown-users', argon2Options));

  const assertRole = (role: string): Role => {
    if (!(roles as readonly string[]).includes(role)) throw new UserError('invalid_role', `Role must be one of ${roles.join(', ')}.`);
    return role as Role;
  };
  const assertLastAdminKept = (user: User, nextRole: Role | null) => {
    const admins = (statements.admins.get() as { n: number }).n;
    if (user.role === 'admin' && nextRole !== 'admin' && admins <= 1) {
      throw new UserError('last_admin', 'This is the last admin; make someone else admin first.');
    }
  };

  // SQLite answers `identity IS NOT NULL` as 0 or 1.
  type Row = Omit<User, 'sso'> & { sso: number };
  const toUser = ({ sso, ...row }: Row): User => ({ ...row, sso: sso === 1 });

  return {
    count: () => (statements.count.get() as { n: number }).n,
    list: () => (statements.list.all() as Row[]).map(toUser),
    byId(id: number) {
      const row = statements.byId.get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },
    byUsername(username: string) {
      const row = statements.byName.get(username) as (Row & { password_hash: string }) | undefined;
      if (!row) return null;
      const { password_hash: _hash, ...user } = row;
      return toUser(user);
    },
    async add(username: string, password: string, role: string): Promise<User> {
      if (!usernamePattern.test(username)) {
        throw new UserError('invalid_username', 'A username is 2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit.');
      }
      const weak = checkPassword(password, username);
      if (weak) throw new UserError('weak_password', weak);
      const checkedRole = assertRole(role);
      if (statements.byName.get(username)) throw new UserError('duplicate_username', `There is already a user called ${username}.`);
      const now = clock.now();
      const result = statements.insert.run(username, await hash(password, argon2Options), checkedRole, now, now);
      return { id: Number(result.lastInsertRowid), username, role: checkedRole, created_at: now, updated_at: now, sso: false };
    },
    /** The user if the password matches; null otherwise (same work either way). */
    async verify(username: string, password: string): Promise<User | null> {
      const row = statements.byName.get(username) as (Row & { password_hash: string }) | undefined;
      // A person who signs in through the identity provider has no password here, whatever is typed.
      const local = row && row.sso === 0 ? row : undefined;
      const ok = await verify(local?.password_hash ?? (await decoyHash()), password).catch(() => false);
      if (!local || !ok) return null;
      const { password_hash: _hash, ...user } = local;
      return toUser(user);
    },
    setRole(id: number, role: string): User {
      const row = statements.byId.get(id) as Row | undefined;
      if (!row) throw new UserError('not_found', 'No such user.');
      const user = toUser(row);
      const next = assertRole(role);
      assertLastAdminKept(user, next);
      statements.setRole.run(next, clock.now(), id);
      return { ...user, role: next, updated_at: clock.now() };
    },
    async setPassword(id: number, password: string) {
      const user = statements.byId.get(id) as Row | undefined;
      if (!user) throw new UserError('not_found', 'No such user.');
      if (user.sso === 1) throw new UserError('sso_account', `${user.username} signs in through the identity provider and has no Linkdesk password.`);
      const weak = checkPassword(password, user.username);
      if (weak) throw new UserError('weak_password', weak);
      statements.setPassword.run(await hash(password, argon2Options), clock.now(), id);
    },
    remove(id: number): User {
      const row = statements.byId.get(id) as Row | undefined;
      if (!row) throw new UserError('not_found', 'No such user.');
      const user = toUser(row);
      assertLastAdminKept(user, null);
      statements.remove.run(id);
      return user;
    },
  };
}
export type UserStore = ReturnType<typeof createUserStore>;
