import { indexLinksQuerySchema } from '../../contract/bff/link-index-query.ts';
import { refreshableStatuses, type CreateJobBody, type JobPreview, type JobPreviewItem, type JobSelection, type JobSkipReason } from '../../contract/bff/jobs.ts';
import type { LinkStatus } from '../../contract/links.ts';
import type { BelvoMode, RateLimitConfig } from '../config.ts';
import type { ProxyErrorItem } from '../errors.ts';
import type { JobStore } from '../store/jobs.ts';
import type { IndexRow } from '../store/link-index.ts';
import { syncDeleteLimit, type OperationsStore } from '../store/operations.ts';
import type { LinkIndexService } from './link-index.ts';

/** A service answer: the body for the contract schema, or Belvo-shaped errors. */
export type JobAnswer<T> = { ok: true; status: 200 | 201; body: T } | { ok: false; status: number; errors: ProxyErrorItem[] };

export const fail = (status: number, code: string, message: string, field?: string): { ok: false; status: number; errors: ProxyErrorItem[] } => ({
  ok: false,
  status,
  errors: [{ code, message, ...(field ? { field } : {}) }],
});

export const skipMessages: Record<JobSkipReason, string> = {
  in_cooldown: 'Refreshed less than 10 minutes ago; Belvo would refuse another refresh now.',
  already_deleted: 'Already deleted, or a deletion Linkdesk asked for is still under way.',
  status_not_refreshable: 'Its status cannot take a refresh (invalid and token_required links need the owner; unconfirmed links are mid-registration).',
  in_other_job: 'Another open job already holds this link.',
  not_found: 'Neither the link index nor Belvo has this link.',
};

const plural = (n: number) => `${n} ${n === 1 ? 'link' : 'links'}`;

/**
 * What a bulk job would do, before anything is sent: the body checked, the selection resolved
 * (ids, or a filter of the completed index), each link's decision from the index and Linkdesk's
 * own records (never Belvo), the confirmation phrase and the time at the background pace. The
 * runner asks `skipReason` again at send time.
 */
export function createJobPlanner(deps: {
  jobs: JobStore;
  operations: OperationsStore;
  linkIndex: LinkIndexService;
  mode: BelvoMode;
  maxLinksPerJob: number;
  rateLimit: RateLimitConfig;
}) {
  const { jobs, operations, linkIndex } = deps;
  const backgroundPerWindow = Math.max(1, deps.rateLimit.limit - deps.rateLimit.reserveForInteractive);

  /** Minutes at the background pace for `changes` requests plus `lookUps` (links the index lacks are looked up first). */
  function estimateMinutes(action: 'delete' | 'refresh', mode: 'async' | 'sync' | null, changes: number, lookUps: number): number {
    if (changes === 0) return 0;
    const atPace = ((changes + lookUps) / backgroundPerWindow) * (deps.rateLimit.windowMs / 60_000);
    const atBudget = action === 'delete' && mode === 'sync' ? changes / syncDeleteLimit : 0;
    return Math.ceil(Math.max(atPace, atBudget));
  }

  /** Why a link is skipped now, or null to send it. `row` is the index's copy (null when the index lacks it). */
  async function skipReason(action: 'delete' | 'refresh', linkId: string, row: IndexRow | null, indexComplete: boolean): Promise<JobSkipReason | null> {
    if ((await operations.deleteRecorded(linkId)) !== null || (await operations.recentSyncDelete(linkId)) !== null) return 'already_deleted';
    if (indexComplete && row === null) return action === 'delete' ? 'already_deleted' : 'not_found';
    if (action === 'refresh') {
      if (await operations.cooldown(linkId)) return 'in_cooldown';
      if (row && !(refreshableStatuses as readonly LinkStatus[]).includes(row.status)) return 'status_not_refreshable';
    }
    return null;
  }

  type Resolved = { linkIds: string[]; rows: Map<string, IndexRow>; selection: JobSelection };

  async function resolveSelection(body: CreateJobBody): Promise<{ ok: true; value: Resolved } | { ok: false; status: number; errors: ProxyErrorItem[] }> {
    const max = deps.maxLinksPerJob;
    if (body.link_ids !== undefined) {
      const linkIds = [...new Set(body.link_ids.map((id) => id.toLowerCase()))];
      if (linkIds.length > max) {
        return fail(400, 'too_many_links', `A job takes at most ${max} links and ${linkIds.length} were selected. Split the selection into several jobs.`, 'link_ids');
      }
      const rows = new Map((await linkIndex.rowsByIds(linkIds)).map((row) => [row.id, row]));
      return { ok: true, value: { linkIds, rows, selection: { kind: 'link_ids', filter: null, requested: body.link_ids.length } } };
    }
    const rawFilter = Object.fromEntries(Object.entries(body.filter ?? {}).map(([key, value]) => [key, String(value)]));
    const parsed = indexLinksQuerySchema.safeParse(rawFilter);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = String(issue?.path[0] ?? '');
      return fail(400, 'invalid', `filter.${key}: ${issue?.message ?? 'not a value this filter takes'}.`, `filter.${key}`);
    }
    if (!(await linkIndex.complete())) {
      return fail(
        409,
        'index_not_ready',
        'A filter needs the link index to have finished a full sync, and it has not yet. Wait for the sync to finish, or select the links on the page.',
        'filter',
      );
    }
    const { rows, more } = await linkIndex.matching(parsed.data, max);
    if (more) {
      return fail(400, 'too_many_links', `The filter matches more than ${max} links; a job takes at most ${max}. Narrow the filter (for example by institution or status).`, 'filter');
    }
    return {
      ok: true,
      value: { linkIds: rows.map((row) => row.id), rows: new Map(rows.map((row) => [row.id, row])), selection: { kind: 'filter', filter: rawFilter, requested: rows.length } },
    };
  }

  async function preview(body: CreateJobBody): Promise<JobAnswer<JobPreview>> {
    const count = (body.link_ids ? 1 : 0) + (body.filter ? 1 : 0);
    if (count !== 1) return fail(400, 'invalid', 'Give exactly one of link_ids (the links you picked) and filter (every link the index matches).', 'link_ids');
    if (body.action !== 'delete' && body.mode !== undefined) return fail(400, 'invalid', 'mode applies only to deletes (async or sync).', 'mode');
    if (body.action !== 'refresh' && body.resources !== undefined) return fail(400, 'invalid', 'resources applies only to refreshes.', 'resources');
    const resolved = await resolveSelection(body);
    if (!resolved.ok) return resolved;
    const { linkIds, rows, selection } = resolved.value;
    if (linkIds.length === 0) return fail(400, 'empty_selection', 'The selection holds no links. Pick links on the page or change the filter.', body.filter ? 'filter' : 'link_ids');

    const mode = body.action === 'delete' ? (body.mode ?? 'async') : null;
    const complete = await linkIndex.complete();
    const held = await jobs.linksInOpenJobs(linkIds);
    const items: JobPreviewItem[] = [];
    for (const linkId of linkIds) {
      const row = rows.get(linkId) ?? null;
      const reason = held.has(linkId) ? 'in_other_job' : await skipReason(body.action, linkId, row, complete);
      items.push({
        link_id: linkId,
        external_id: row?.external_id ?? null,
        institution: row?.institution ?? null,
        status: row?.status ?? null,
        decision: reason ? 'skip' : 'send',
        reason,
        message: reason ? skipMessages[reason] : null,
      });
    }
    const willSend = items.filter((item) => item.decision === 'send').length;
    return {
      ok: true,
      status: 200,
      body: {
        dry_run: true,
        action: body.action,
        mode,
        resources: body.action === 'refresh' ? (body.resources ?? null) : null,
        selection,
        total: items.length,
        will_send: willSend,
        will_skip: items.length - willSend,
        max_links_per_job: deps.maxLinksPerJob,
        confirmation: `${body.action} ${plural(willSend)}${deps.mode === 'production' ? ' in production' : ''}`,
        // A link the index does not have costs a look-up at Belvo before its change.
        estimated_minutes: estimateMinutes(body.action, mode, willSend, items.filter((item) => item.decision === 'send' && item.institution === null).length),
        items,
      },
    };
  }

  return { preview, skipReason };
}
