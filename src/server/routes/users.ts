import { Hono } from 'hono';
import { addUserBodySchema, changeUserBodySchema, staffUserAnswerSchema, staffUserListSchema } from '../../contract/bff/users.ts';
import type { AppEnv } from '../app-env.ts';
import { currentUser } from '../auth/middleware.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import type { UserAdmin } from '../services/user-admin.ts';
import { UserError, type UserStore } from '../store/users.ts';
import { readJsonBody } from '../http/json-body.ts';


const statusOf = (error: UserError) => (error.code === 'not_found' ? 404 : error.code === 'duplicate_username' ? 409 : 400);

/** Admin-only user management; the same operations as `npm run user` (services/user-admin.ts). */
export function userRoutes(deps: { users: UserStore; userAdmin: UserAdmin }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.get('/users', async (c) => jsonAnswer(c, staffUserListSchema, { users: await deps.users.list() }));

  routes.post('/users', async (c) => {
    const body = await readJsonBody(c, addUserBodySchema);
    if (!body.ok) return body.response;
    try {
      const user = await deps.userAdmin.add(currentUser(c), body.value);
      return jsonAnswer(c, staffUserAnswerSchema, { user }, 201);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return errorResponse(c, statusOf(error), [{ code: error.code, message: error.message, field: error.code === 'weak_password' ? 'password' : 'username' }]);
    }
  });

  routes.patch('/users/:id', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id)) return errorResponse(c, 404, [{ code: 'not_found', message: 'No such user.' }]);
    const body = await readJsonBody(c, changeUserBodySchema);
    if (!body.ok) return body.response;
    try {
      if (body.value.role) await deps.userAdmin.setRole(currentUser(c), id, body.value.role);
      if (body.value.password !== undefined) await deps.userAdmin.resetPassword(currentUser(c), id, body.value.password);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return errorResponse(c, statusOf(error), [{ code: error.code, message: error.message, field: error.code === 'weak_password' ? 'password' : 'role' }]);
    }
    const user = await deps.users.byId(id);
    if (!user) return errorResponse(c, 404, [{ code: 'not_found', message: 'No such user.' }]);
    return jsonAnswer(c, staffUserAnswerSchema, { user });
  });

  routes.delete('/users/:id', async (c) => {
    try {
      await deps.userAdmin.remove(currentUser(c), Number(c.req.param('id')));
      return c.body(null, 204);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return errorResponse(c, statusOf(error), [{ code: error.code, message: error.message }]);
    }
  });
  return routes;
}
