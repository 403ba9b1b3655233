import { Hono } from 'hono';
import { registerLinkBodySchema, resumeLinkBodySchema } from '../../contract/mfa.ts';
import type { AppEnv } from '../app-env.ts';
import { currentUser } from '../auth/middleware.ts';
import { errorResponse } from '../errors.ts';
import type { LinkOperations } from '../services/link-operations.ts';
import { readJsonBody } from '../http/json-body.ts';
import { linkOperationAnswer } from '../http/link-operation-answer.ts';

/**
 * `POST /api/links/` (register; the access guard keeps it to the simulator and the sandbox) and
 * `PATCH /api/links/` (resume after a 428, for a registration or a refresh). Bodies are validated
 * and never logged; 428 answers pass through whole.
 */
export function linkRegistrationRoutes(deps: { linkOperations: LinkOperations }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.post('/links/', async (c) => {
    const body = await readJsonBody(c, registerLinkBodySchema);
    if (!body.ok) return body.response;
    if ((body.value.certificate === undefined) !== (body.value.private_key === undefined)) {
      return errorResponse(c, 400, [{ field: body.value.certificate ? 'private_key' : 'certificate', code: 'required', message: 'certificate and private_key go together: send both or neither.' }]);
    }
    return linkOperationAnswer(c, await deps.linkOperations.registerLink({ body: body.value, actor: currentUser(c) }));
  });

  routes.patch('/links/', async (c) => {
    const body = await readJsonBody(c, resumeLinkBodySchema);
    if (!body.ok) return body.response;
    return linkOperationAnswer(c, await deps.linkOperations.resumeLink({ body: body.value, actor: currentUser(c) }));
  });

  return routes;
}
