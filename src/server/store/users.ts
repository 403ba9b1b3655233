import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../contract/clock.ts';
import { roles, type Role } from '../../contract/roles.ts';
import { locks, serialized, type Db } from './database.ts';

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
  const columns = ['id', 'username', 'role', 'created_at', 'updated_at', 'identity'] as const;
  // Usernames are unique whatever their case (SQLite: COLLATE NOCASE; PostgreSQL: a unique index on lower(username)).
  const byName = (username: string) =>
    db
      .selectFrom('users')
      .select([...columns, 'password_hash'])
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
  const byId = (id: number) => db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
  // Verifying against a real hash when the user does not exist keeps the answer time the same,
  // so timing does not tell whether a username exists.
  let decoy: Promise<string> | null = null;
  const decoyHash = () => (decoy ??= hash('decoy-password-for-unknown-users', argon2Options));

  const assertRole = (role: string): Role => {
    if (!(roles as readonly string[]).includes(role)) throw new UserError('invalid_role', `Role must be one of ${roles.join(', ')}.`);
    return role as Role;
  };
  const assertLastAdminKept = async (trx: Db, user: User, nextRole: Role | null) => {
    if (user.role !== 'admin' || nextRole === 'admin') return;
    const { n } = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
    if (n <= 1) throw new UserError('last_admin', 'This is the last admin; make someone else admin first.');
  };

  type Row = Omit<User, 'sso'> & { identity: string | null };
  const toUser = ({ identity, id, username, role, created_at, updated_at }: Row): User => ({ id, username, role, created_at, updated_at, sso: identity !== null });

  return {
    count: async () => (await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    list: async () => (await db.selectFrom('users').select(columns).orderBy(sql`lower(username)`).orderBy('username').execute()).map(toUser),
    async byId(id: number) {
      const row = await byId(id);
      return row ? toUser(row) : null;
    },
    async byUsername(username: string) {
      const row = await byName(username);
      return row ? toUser(row) : null;
    },
    async add(username: string, password: string, role: string): Promise<User> {
      if (!usernamePattern.test(username)) {
        throw new UserError('invalid_username', 'A username is 2–64 letters, digits, dots, dashes or underscores, starting with a letter or digit.');
      }
      const weak = checkPassword(password, username);
      if (weak) throw new UserError('weak_password', weak);
      const checkedRole = assertRole(role);
      if (await byName(username)) throw new UserError('duplicate_username', `There is already a user called ${username}.`);
      const passwordHash = await hash(password, argon2Options);
      const now = clock.now();
      try {
        const row = await db
          .insertInto('users')
          .values({ username, password_hash: passwordHash, role: checkedRole, created_at: now, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { id: Number(row.id), username, role: checkedRole, created_at: now, updated_at: now, sso: false };
      } catch (error) {
        // Someone (another instance, the CLI) added the same name while the password was hashed.
        if (await byName(username)) throw new UserError('duplicate_username', `There is already a user called ${username}.`);
        throw error;
      }
    },
    /** The user if the password matches; null otherwise (same work either way). */
    async verify(username: string, password: string): Promise<User | null> {
      const row = await byName(username);
      // A person who signs in through the identity provider has no password here, whatever is typed.
      const local = row && row.identity === null ? row : undefined;
      const ok = await verify(local?.password_hash ?? (await decoyHash()), password).catch(() => false);
      if (!local || !ok) return null;
      return toUser(local);
    },
    /** The role check and the change in one serialised transaction: two admins demoting each other leave one. */
    setRole(id: number, role: string): Promise<User> {
      return serialized(db, locks.users, async (trx) => {
        const row = await trx.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
        if (!row) throw new UserError('not_found', 'No such user.');
        const user = toUser(row);
        const next = assertRole(role);
        await assertLastAdminKept(trx, user, next);
        await trx.updateTable('users').set({ role: next, updated_at: clock.now() }).where('id', '=', id).execute();
        return { ...user, role: next, updated_at: clock.now() };
      });
    },
    async setPassword(id: number, password: string) {
      const row = await byId(id);
      if (!row) throw new UserError('not_found', 'No such user.');
      if (row.identity !== null) throw new UserError('sso_account', `${row.username} signs in through the identity provider and has no Linkdesk password.`);
      const weak = checkPassword(password, row.username);
      if (weak) throw new UserError('weak_password', weak);
      const passwordHash = await hash(password, argon2Options);
      await db.updateTable('users').set({ password_hash: passwordHash, updated_at: clock.now() }).where('id', '=', id).execute();
    },
    remove(id: number): Promise<User> {
      return serialized(db, locks.users, async (trx) => {
        const row = await trx.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
        if (!row) throw new UserError('not_found', 'No such user.');
        const user = toUser(row);
        await assertLastAdminKept(trx, user, null);
        await trx.deleteFrom('users').where('id', '=', id).execute();
        return user;
      });
    },
  };
}
export type UserStore = ReturnType<typeof createUserStore>;
