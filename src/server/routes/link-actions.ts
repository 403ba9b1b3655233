import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { uuidPattern } from '../../contract/links.ts';
import { accessModeBodySchema, refreshBodySchema } from '../../contract/operations.ts';
import type { AppEnv } from '../app-env.ts';
import { currentUser } from '../auth/middleware.ts';
import { errorResponse } from '../errors.ts';
import { readJsonBody } from '../http/json-body.ts';
import { linkOperationAnswer } from '../http/link-operation-answer.ts';
import { linkIdError } from '../http/query.ts';
import type { LinkOperations } from '../services/link-operations.ts';

/** `DELETE` and `PATCH /api/links/{id}/` (access mode only) and `POST /api/links/{id}/refresh/`: validated here, decided in services/link-operations.ts. */
export function linkActionsRoutes(deps: { linkOperations: LinkOperations }) {
  const routes = new Hono<AppEnv>({ strict: true });

  routes.delete('/links/:id/', async (c) => {
    const id = c.req.param('id').toLowerCase();
    if (!uuidPattern.test(id)) return errorResponse(c, 400, [linkIdError(id)]);
    const mode = c.req.header('x-belvo-request-mode');
    if (mode !== undefined && mode !== 'async') {
      // Belvo silently treats any other value (even "ASYNC") as synchronous (OpenAPI v1.35).
      return errorResponse(c, 400, [
        {
          field: 'X-Belvo-Request-Mode',
          code: 'invalid',
          message: 'Send X-Belvo-Request-Mode: async exactly (lower case), or leave it out for a synchronous delete.',
        },
      ]);
    }
    const result = await deps.linkOperations.deleteLink({ linkId: id, mode: mode === 'async' ? 'async' : 'sync', actor: currentUser(c) });
    return linkOperationAnswer(c, result);
  });

  routes.patch('/links/:id/', async (c) => {
    const id = c.req.param('id').toLowerCase();
    if (!uuidPattern.test(id)) return errorResponse(c, 400, [linkIdError(id)]);
    const body = await readJsonBody(c, accessModeBodySchema);
    if (!body.ok) return body.response;
    return linkOperationAnswer(c, await deps.linkOperations.changeAccessMode({ linkId: id, accessMode: body.value.access_mode, actor: currentUser(c) }));
  });

  routes.post(
    '/links/:id/refresh/',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => errorResponse(c, 413, [{ code: 'payload_too_large', message: 'A refresh body is at most 16 KiB: send only {"fetch_resources": [...]}.' }]),
    }),
    async (c) => {
      const id = c.req.param('id').toLowerCase();
      if (!uuidPattern.test(id)) return errorResponse(c, 400, [linkIdError(id)]);
      const text = await c.req.text();
      let body: unknown = {};
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          return errorResponse(c, 400, [{ code: 'parse_error', message: 'The body is not valid JSON. Send {"fetch_resources": ["ACCOUNTS", ...]} or nothing.' }]);
        }
      }
      const parsed = refreshBodySchema.safeParse(body);
      if (!parsed.success) {
        return errorResponse(
          c,
          400,
          parsed.error.issues.map((issue) => ({
            field: String(issue.path[0] ?? 'body'),
            code: 'invalid',
            message:
              issue.path[0] === 'fetch_resources' && issue.path.length > 1
                ? `fetch_resources[${String(issue.path[1])}] is not a Belvo resource. Use resources such as ACCOUNTS, TRANSACTIONS, OWNERS, INVOICES.`
                : issue.code === 'unrecognized_keys'
                  ? 'A refresh takes only fetch_resources.'
                  : `${String(issue.path[0] ?? 'body')}: ${issue.message}`,
          })),
        );
      }
      const result = await deps.linkOperations.refreshLink({ linkId: id, resources: parsed.data.fetch_resources ?? null, actor: currentUser(c) });
      return linkOperationAnswer(c, result);
    },
  );

  return routes;
}
