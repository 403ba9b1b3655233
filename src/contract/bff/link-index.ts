import * as z from 'zod/mini';
import { accessModeSchema, linkSchema, linkStatuses, linkStatusSchema, refreshRateSchema } from '../links.ts';

/**
 * The account-wide link index: a read-side copy of every link in the Belvo account, kept by the
 * proxy. Belvo stays the source of truth (every action still goes to Belvo); every answer read
 * from the index carries how fresh it is. Times are ISO-8601 UTC strings.
 */

const isoTime = z.string();
const count = z.int().check(z.nonnegative());

// ---------------------------------------------------------------------------------------------
// GET /bff/index/status
// ---------------------------------------------------------------------------------------------

/**
 * `empty`: no full sync has completed and none is running (a few links Linkdesk itself just
 * registered may be there). `syncing`: a full sync is running, or one interrupted by a restart waits
 * to resume (the index already answers, with the previous sync's links or the pages so far).
 * `ready`: a full sync has completed and none is running. `error`: the last sync stopped on an
 * error; the index still answers with what it has, and retries on the schedule.
 */
export const indexStates = ['empty', 'syncing', 'ready', 'error'] as const;
export const indexStateSchema = z.enum(indexStates);
export type IndexState = z.infer<typeof indexStateSchema>;

/** `scan`: pages of links created up to the sync's start; `newer`: links created since then; `incremental`: the cheap pass for new links. */
export const syncPhases = ['scan', 'newer', 'incremental'] as const;
export const syncPhaseSchema = z.enum(syncPhases);
export type SyncPhase = z.infer<typeof syncPhaseSchema>;

/** What a progress bar needs while a sync runs. */
export const syncProgressSchema = z.object({
  phase: syncPhaseSchema,
  /** `manual` (an admin), `schedule`, `startup`, or `resume` (picked up after a restart). */
  trigger: z.enum(['manual', 'schedule', 'startup', 'resume']),
  started_at: isoTime,
  /** Links read from Belvo by this run so far. */
  indexed: count,
  /** Belvo's `count` for the scan, from the first page; null until it arrives. */
  belvo_count: z.nullable(count),
  pages: count,
  /** Links per second over this run (null before the first page). */
  rate_per_second: z.nullable(z.number()),
  /** Seconds left at the current rate; null while unknown. */
  eta_seconds: z.nullable(z.number()),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;

/** The last sync failure, with Belvo's `request_id` when Belvo answered. */
export const syncErrorSchema = z.object({
  at: isoTime,
  code: z.string(),
  message: z.string(),
  /** Belvo's `request_id` from its error body; null when Belvo did not answer (timeout, network). */
  request_id: z.nullable(z.string()),
  /** Belvo's HTTP status; null when there was none. */
  http_status: z.nullable(z.int()),
});
export type SyncError = z.infer<typeof syncErrorSchema>;

export const indexStatusSchema = z.object({
  state: indexStateSchema,
  /** Links in the index now. */
  indexed: count,
  /** Belvo's `count` as of the last full sync page read (null before any). */
  belvo_count: z.nullable(count),
  /** When the last full sync completed (null: none yet). */
  last_full_sync_at: z.nullable(isoTime),
  /** When the index last changed: a sync page, an incremental pass, a Linkdesk action or a webhook. */
  last_change_at: z.nullable(isoTime),
  /** Present while a sync runs. */
  progress: z.nullable(syncProgressSchema),
  /** The last sync's error; cleared when a sync completes. */
  last_error: z.nullable(syncErrorSchema),
  /** When the next scheduled full sync is due (null while one runs). */
  next_sync_at: z.nullable(isoTime),
  /** The configured schedule, in seconds. */
  sync_interval_seconds: count,
});
export type IndexStatus = z.infer<typeof indexStatusSchema>;

/** `POST /bff/index/sync` (admin) answers 202 with this. `started: false` when a sync was already running. */
export const indexSyncAcceptedSchema = z.object({
  started: z.boolean(),
  status: indexStatusSchema,
});
export type IndexSyncAccepted = z.infer<typeof indexSyncAcceptedSchema>;

/** Every answer read from the index says how fresh it is. */
export const indexFreshnessSchema = z.object({
  /** The last completed full sync: the moment the index last matched Belvo as a whole (null: none yet). */
  as_of: z.nullable(isoTime),
  /** The last change to the index (sync page, incremental pass, action, webhook). */
  last_change_at: z.nullable(isoTime),
  state: indexStateSchema,
});
export type IndexFreshness = z.infer<typeof indexFreshnessSchema>;

// ---------------------------------------------------------------------------------------------
// GET /bff/index/links and GET /bff/index/links.csv
// ---------------------------------------------------------------------------------------------

export const indexSorts = ['created_at', 'last_accessed_at', 'institution', 'status'] as const;
export const indexSortSchema = z.enum(indexSorts, { error: `sort is one of ${indexSorts.join(', ')}` });
export type IndexSort = z.infer<typeof indexSortSchema>;

export const sortOrders = ['asc', 'desc'] as const;
export const sortOrderSchema = z.enum(sortOrders, { error: 'order is asc or desc' });
export type SortOrder = z.infer<typeof sortOrderSchema>;

/** Stale kinds (see `staleSchema`): `not_accessed` (valid, not read within its refresh rate), `broken` (invalid or token_required too long), `any`. */
export const staleKinds = ['not_accessed', 'broken', 'any'] as const;
export const staleKindSchema = z.enum(staleKinds, { error: `stale is one of ${staleKinds.join(', ')}` });
export type StaleKind = z.infer<typeof staleKindSchema>;

export const indexDefaults = { sort: 'created_at', order: 'desc', page: 1, page_size: 100 } as const;

/**
 * The search box: a full link id, the first 8 characters of one (as the UI shows ids), the start
 * of an external_id, or an exact institution_user_id. All that apply are tried at once.
 */
export const indexSearchSchema = z.string().check(
  z.trim(),
  z.minLength(1, 'q needs at least one character: a link id, its first 8 characters, the start of an external_id or an institution_user_id'),
  z.maxLength(200, 'q is at most 200 characters'),
);

// The query of `/bff/index/links` and `.csv` (its parsing: pipes, transforms) is in
// ./link-index-query.ts, apart from the answers, so the SPA's bundle does not carry it (as
// ./audit-query.ts does for the audit log).
export type { IndexLinksQuery, IndexLinksSearch } from './link-index-query.ts';

/** A link as Belvo returned it at its last sync, plus what the index knows about it. */
export const indexedLinkSchema = z.extend(linkSchema, {
  /** How many other links share this link's institution + institution_user_id (0: not a duplicate). */
  duplicates: count,
});
export type IndexedLink = z.infer<typeof indexedLinkSchema>;

export const statusCountsSchema = z.object({
  valid: count,
  invalid: count,
  unconfirmed: count,
  token_required: count,
});
export type StatusCounts = z.infer<typeof statusCountsSchema>;

export const indexLinksPageSchema = z.object({
  /** Links matching every filter. */
  count: count,
  results: z.array(indexedLinkSchema),
  /** The index's last full sync (null: none has completed); see `indexFreshnessSchema`. */
  as_of: z.nullable(isoTime),
  last_change_at: z.nullable(isoTime),
  state: indexStateSchema,
  page: z.int().check(z.positive()),
  page_size: z.int().check(z.positive()),
  /** Counts per status under every filter except `status`: the status tabs in one request. */
  counts: statusCountsSchema,
});
export type IndexLinksPage = z.infer<typeof indexLinksPageSchema>;

/**
 * Columns of `GET /bff/index/links.csv`, in order. One header row, then one row per link of the
 * filtered, sorted set (every page). `index_as_of` and `index_last_change_at` repeat the index's
 * freshness on every row, so it survives filtering in a spreadsheet. Cells that a spreadsheet would
 * read as a formula (starting with = + - @, tab or carriage return) are prefixed with `'`.
 */
export const indexCsvColumns = [
  'id',
  'institution',
  'status',
  'access_mode',
  'refresh_rate',
  'external_id',
  'institution_user_id',
  'created_at',
  'last_accessed_at',
  'created_by',
  'duplicates',
  'index_as_of',
  'index_last_change_at',
] as const;

// ---------------------------------------------------------------------------------------------
// GET /bff/health
// ---------------------------------------------------------------------------------------------

export const statusInstitutionCountSchema = z.object({
  institution: z.string(),
  status: linkStatusSchema,
  count: count,
});

export const duplicateGroupSchema = z.object({
  institution: z.string(),
  institution_user_id: z.string(),
  /** Newest first (created_at descending). */
  link_ids: z.array(z.string()),
  /** The same links with what a person needs to choose which to keep, newest first. */
  links: z.array(
    z.object({
      id: z.string(),
      status: linkStatusSchema,
      external_id: z.nullable(z.string()),
      access_mode: z.nullable(accessModeSchema),
      created_at: isoTime,
      last_accessed_at: z.nullable(isoTime),
    }),
  ),
});
export type DuplicateGroup = z.infer<typeof duplicateGroupSchema>;

/**
 * Stale links and the thresholds used (configurable, see the README):
 * - `not_accessed`: valid recurrent links whose `last_accessed_at` (or `created_at` if never
 *   accessed) is older than `refresh_rate × refresh_rate_factor`. Single links have no refresh rate
 *   and are never stale this way.
 * - `broken`: invalid or token_required links in that status for more than `broken_days` days.
 *   The index knows when it saw a status change; for a link first seen already broken it counts
 *   from the link's last successful access (or creation), the latest the break can have started.
 */
export const staleSchema = z.object({
  thresholds: z.object({
    refresh_rate_factor: z.number(),
    broken_days: z.number(),
  }),
  not_accessed: count,
  broken: count,
  /** not_accessed + broken. */
  total: count,
  /** not_accessed by refresh rate, for the links to the filtered list. */
  not_accessed_by_refresh_rate: z.array(z.object({ refresh_rate: refreshRateSchema, count })),
  /** broken by status. */
  broken_by_status: z.array(z.object({ status: z.enum(['invalid', 'token_required']), count })),
});
export type Stale = z.infer<typeof staleSchema>;

/** One daily snapshot the index took (UTC day, after that day's first full sync). Days without one are absent, never filled in. */
export const dailySnapshotSchema = z.object({
  day: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  taken_at: isoTime,
  total: count,
  counts_by_status: statusCountsSchema,
});
export type DailySnapshot = z.infer<typeof dailySnapshotSchema>;

export const healthSchema = z.object({
  /** The index's last full sync; null while none has completed (the numbers are then partial). */
  as_of: z.nullable(isoTime),
  last_change_at: z.nullable(isoTime),
  state: indexStateSchema,
  total: count,
  counts_by_status: statusCountsSchema,
  /** Every (institution, status) pair with at least one link; shares are count / total. */
  by_status_institution: z.array(statusInstitutionCountSchema),
  /** Links without an external_id (seed 003: they cannot be traced back to a user). */
  orphans: count,
  /**
   * Groups of links with the same institution + institution_user_id, newest group first: the first
   * `healthDuplicateGroups` of them; the rest page through `GET /bff/health/duplicates`.
   */
  duplicate_groups: z.array(duplicateGroupSchema),
  /** How many such groups there are in all. */
  duplicate_group_count: count,
  /** Links in those groups, all of them. */
  duplicate_links: count,
  stale: staleSchema,
  /** Daily counts per status, oldest first, at most the last 400 days. */
  history: z.array(dailySnapshotSchema),
});
export type Health = z.infer<typeof healthSchema>;

/** Duplicate groups `GET /bff/health` carries; a large account has thousands (about 1.5 MB at 100,000 links). */
export const healthDuplicateGroups = 50;
export const maxDuplicateGroupsPageSize = 200;

/** `GET /bff/health/duplicates?page=&page_size=`: every duplicate group, newest first, a page at a time. */
export const duplicateGroupsPageSchema = z.object({
  as_of: z.nullable(isoTime),
  count: count,
  page: z.int(),
  page_size: z.int(),
  groups: z.array(duplicateGroupSchema),
});
export type DuplicateGroupsPage = z.infer<typeof duplicateGroupsPageSchema>;

/** The four statuses in display order, for matrices and charts. */
export const healthStatuses = linkStatuses;
