import type { Context } from 'hono';
import { Hono } from 'hono';
import { createJobBodySchema, jobListSchema, jobPreviewSchema, jobSchema, type Job, type JobPreview } from '../../contract/bff/jobs.ts';
import { uuidPattern } from '../../contract/links.ts';
import type { AppEnv } from '../app-env.ts';
import { currentUser } from '../auth/middleware.ts';
import { can, deniedMessage, type Permission } from '../auth/permissions.ts';
import type { BelvoMode } from '../config.ts';
import { errorResponse } from '../errors.ts';
import { jsonAnswer } from '../http/json-answer.ts';
import { readJsonBody } from '../http/json-body.ts';
import type { JobAnswer } from '../services/bulk-job-plans.ts';
import type { BulkJobs } from '../services/bulk-jobs.ts';

const permissionFor = { delete: 'links:delete', refresh: 'links:refresh' } as const satisfies Record<string, Permission>;
const noStore = { 'cache-control': 'no-store' };

/** 403 unless the signed-in person may do this job's action (the path alone does not say which). */
function refused(c: Context<AppEnv>, permissions: Permission[], mode: BelvoMode): Response | null {
  const user = c.get('user');
  if (user && permissions.some((permission) => can(user.role, permission, mode))) return null;
  const first = permissions[0] as Permission;
  return errorResponse(c, 403, [{ code: 'forbidden', message: deniedMessage(user?.role ?? 'viewer', first, mode) }]);
}

function badJobId(c: Context<AppEnv>, id: string): Response | null {
  if (uuidPattern.test(id)) return null;
  return errorResponse(c, 400, [{ field: 'id', code: 'invalid', message: `"${id.slice(0, 60)}" is not a job id. Job ids are UUIDs, as POST /bff/jobs returns them.` }]);
}

/**
 * Bulk jobs (`/bff/jobs`): validated here, decided in services/bulk-jobs.ts, run by
 * background/job-runner.ts. Reading needs `links:read` (the access guard); starting and
 * controlling a job need the permission of its action (delete or refresh), checked here.
 */
export function jobRoutes(deps: { bulkJobs: BulkJobs; mode: BelvoMode }) {
  const routes = new Hono<AppEnv>({ strict: true });
  const { bulkJobs, mode } = deps;

  const answer = <T extends JobPreview | Job>(c: Context<AppEnv>, result: JobAnswer<T>) => {
    if (!result.ok) return errorResponse(c, result.status, result.errors);
    const body = result.body;
    if ('dry_run' in body) return jsonAnswer(c, jobPreviewSchema, body, result.status, noStore);
    return jsonAnswer(c, jobSchema, body, result.status, noStore);
  };

  routes.post('/jobs', async (c) => {
    const denied = refused(c, ['links:delete', 'links:refresh'], mode);
    if (denied) return denied;
    const body = await readJsonBody(c, createJobBodySchema);
    if (!body.ok) return body.response;
    const forAction = refused(c, [permissionFor[body.value.action]], mode);
    if (forAction) return forAction;
    return answer(c, await bulkJobs.create(body.value, currentUser(c)));
  });

  routes.get('/jobs', async (c) => jsonAnswer(c, jobListSchema, await bulkJobs.list(), 200, noStore));

  routes.get('/jobs/:id', async (c) => {
    const id = c.req.param('id').toLowerCase();
    return badJobId(c, id) ?? answer(c, await bulkJobs.get(id));
  });

  routes.get('/jobs/:id/results.csv', async (c) => {
    const id = c.req.param('id').toLowerCase();
    const bad = badJobId(c, id);
    if (bad) return bad;
    const csv = await bulkJobs.resultsCsv(id);
    if (csv === null) return errorResponse(c, 404, [{ code: 'not_found', message: `There is no job ${id}.` }]);
    return new Response(csv, {
      status: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="linkdesk-job-${id}.csv"`, ...noStore },
    });
  });

  for (const verb of ['pause', 'resume', 'cancel'] as const) {
    routes.post(`/jobs/:id/${verb}`, async (c) => {
      const id = c.req.param('id').toLowerCase();
      const bad = badJobId(c, id) ?? refused(c, ['links:delete', 'links:refresh'], mode);
      if (bad) return bad;
      const found = await bulkJobs.get(id);
      if (!found.ok) return errorResponse(c, found.status, found.errors);
      const denied = refused(c, [permissionFor[found.body.action]], mode);
      if (denied) return denied;
      return answer(c, await bulkJobs.control(id, verb, currentUser(c)));
    });
  }

  return routes;
}
