import { Hono } from 'hono';
import * as z from 'zod/mini';
import type { AppEnv } from '../app-env.ts';
import { currentUser } from '../auth/middleware.ts';
import { errorResponse } from '../errors.ts';
import type { AuditLog } from '../store/audit.ts';
import type { SessionStore } from '../store/sessions.ts';
import { roles, UserError, type UserStore } from '../store/users.ts';
import { readJsonBody } from './json-body.ts';

const addSchema = z.strictObject({ username: z.string(), password: z.string(), role: z.enum(roles, { error: `role is one of ${roles.join(', ')}` }) });
const patchSchema = z.strictObject({ role: z.optional(z.enum(roles, { error: `role is one of ${roles.join(', ')}` })), password: z.optional(z.string()) });

const statusOf = (error: UserError) => (error.code === 'not_found' ? 404 : error.code === 'duplicate_username' ? 409 : 400);

/** Admin-only user management; the same operations as `npm run user`. Every change is audited. */
export function userRoutes(deps: { users: UserStore; sessions: SessionStore; audit: AuditLog }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.get('/users', (c) => c.json({ users: deps.users.list() }));

  routes.post('/users', async (c) => {
    const body = await readJsonBody(c, addSchema);
    if (!body.ok) return body.response;
    const finish = deps.audit.attempt('user.add', currentUser(c), { detail: { username: body.value.username, role: body.value.role } });
    try {
      const user = await deps.users.add(body.value.username.trim().toLowerCase(), body.value.password, body.value.role);
      finish('success');
      return c.json({ user }, 201);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      finish('failure', { detail: { reason: error.code } });
      return errorResponse(c, statusOf(error), [{ code: error.code, message: error.message, field: error.code === 'weak_password' ? 'password' : 'username' }]);
    }
  });

  routes.patch('/users/:id', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id)) return errorResponse(c, 404, [{ code: 'not_found', message: 'No such user.' }]);
    const body = await readJsonBody(c, patchSchema);
    if (!body.ok) return body.response;
    const target = deps.users.byId(id);
    try {
      if (body.value.role) {
        const finish = deps.audit.attempt('user.set_role', currentUser(c), { detail: { username: target?.username, role: body.value.role } });
        try {
          deps.users.setRole(id, body.value.role);
          deps.sessions.endAllFor(id);
          finish('success');
        } catch (error) {
          finish('failure', { detail: { reason: error instanceof UserError ? error.code : 'error' } });
          throw error;
        }
      }
      if (body.value.password !== undefined) {
        const finish = deps.audit.attempt('user.reset_password', currentUser(c), { detail: { username: target?.username } });
        try {
          await deps.users.setPassword(id, body.value.password);
          deps.sessions.endAllFor(id);
          finish('success');
        } catch (error) {
          finish('failure', { detail: { reason: error instanceof UserError ? error.code : 'error' } });
          throw error;
        }
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return errorResponse(c, statusOf(error), [{ code: error.code, message: error.message, field: error.code === 'weak_password' ? 'password' : 'role' }]);
    }
    return c.json({ user: deps.users.byId(id) });
  });

  routes.delete('/users/:id', (c) => {
    const id = Number(c.req.param('id'));
    const target = Number.isInteger(id) ? deps.users.byId(id) : null;
    const finish = deps.audit.attempt('user.remove', currentUser(c), { detail: { username: target?.username } });
    try {
      deps.users.remove(id);
      finish('success');
      return c.body(null, 204);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      finish('failure', { detail: { reason: error.code } });
      return errorResponse(c, statusOf(error), [{ code: error.code, message: error.message }]);
    }
  });
  return routes;
}
