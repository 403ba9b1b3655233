import type { AuditActor, AuditLog } from '../store/audit.ts';
import type { SessionStore } from '../store/sessions.ts';
import { UserError, type User, type UserStore } from '../store/users.ts';

/**
 * Staff account changes, each audited when attempted and when it ends, for `/bff/users` and
 * `npm run user` alike. A role change or a new password ends the person's sessions at once.
 * Refusals are `UserError`s (recorded as failures with their code) for the caller to word.
 */
export function createUserAdmin(deps: { users: UserStore; sessions: SessionStore; audit: AuditLog }) {
  const { users, sessions, audit } = deps;

  async function audited<T>(finish: (outcome: string, what?: { detail?: Record<string, unknown> }) => Promise<void>, change: () => T | Promise<T>): Promise<T> {
    try {
      const result = await change();
      await finish('success');
      return result;
    } catch (error) {
      await finish('failure', { detail: { reason: error instanceof UserError ? error.code : 'error' } });
      throw error;
    }
  }
  const usernameOf = async (id: number) => (Number.isInteger(id) ? (await users.byId(id))?.username : undefined);

  return {
    async add(actor: AuditActor, input: { username: string; password: string; role: string }): Promise<User> {
      const finish = await audit.attempt('user.add', actor, { detail: { username: input.username, role: input.role } });
      return audited(finish, () => users.add(input.username.trim().toLowerCase(), input.password, input.role));
    },
    async setRole(actor: AuditActor, id: number, role: string): Promise<void> {
      const finish = await audit.attempt('user.set_role', actor, { detail: { username: await usernameOf(id), role } });
      return audited(finish, async () => {
        await users.setRole(id, role);
        await sessions.endAllFor(id);
      });
    },
    async resetPassword(actor: AuditActor, id: number, password: string): Promise<void> {
      const finish = await audit.attempt('user.reset_password', actor, { detail: { username: await usernameOf(id) } });
      return audited(finish, async () => {
        await users.setPassword(id, password);
        await sessions.endAllFor(id);
      });
    },
    async remove(actor: AuditActor, id: number): Promise<void> {
      const finish = await audit.attempt('user.remove', actor, { detail: { username: await usernameOf(id) } });
      return audited(finish, async () => {
        await users.remove(id);
      });
    },
  };
}
export type UserAdmin = ReturnType<typeof createUserAdmin>;
