import * as z from 'zod/mini';
import { linkIdSchema, linkStatusSchema } from '../links.ts';

/**
 * Bulk jobs (`/bff/jobs`): one delete or refresh applied to many links, stored in Linkdesk's
 * database with one row per link and run by the proxy at Belvo's pace (the one upstream rate
 * limiter shared with the index sync and everyone's clicks). Belvo stays the source of truth: each
 * link is still one request to Belvo, with the same rules as a single action (sync-delete budget,
 * refresh cooldowns, identical requests sent once, audit). Times are epoch milliseconds on the
 * server's clock, as in `/bff/operations`.
 */

export const jobActions = ['delete', 'refresh'] as const;
export const jobActionSchema = z.enum(jobActions, { error: 'action is delete or refresh' });
export type JobAction = z.infer<typeof jobActionSchema>;

export const jobDeleteModes = ['async', 'sync'] as const;
export const jobDeleteModeSchema = z.enum(jobDeleteModes, { error: 'mode is async or sync' });
export type JobDeleteMode = z.infer<typeof jobDeleteModeSchema>;

/**
 * `queued`: stored, not started. `running`: sending. `paused`: a person paused it, or the runner did
 * after repeated upstream errors (`pause_reason` says which); nothing is sent until it resumes.
 * `done`: every item has an outcome. `cancelled`: stopped before its next item; the items never
 * sent are `not_sent`. `failed`: Belvo refused Linkdesk itself (wrong keys, 401/403), so no item
 * could succeed; the rest are `not_sent`.
 */
export const jobStates = ['queued', 'running', 'paused', 'done', 'cancelled', 'failed'] as const;
export const jobStateSchema = z.enum(jobStates);
export type JobState = z.infer<typeof jobStateSchema>;
export const openJobStates = ['queued', 'running', 'paused'] as const satisfies readonly JobState[];

/**
 * One link of a job.
 * - `queued`: not sent yet.
 * - `sending`: handed to Belvo, no answer yet. After a crash such an item is never sent blindly
 *   again: the runner looks the link up first.
 * - `done`: Belvo accepted it (204, or 202 for an async delete or a refresh). An async delete is
 *   `awaiting_confirmation` until Belvo's `link_deleted` webhook arrives.
 * - `failed`: Belvo answered with an error (`http_status`, `code`, `message`, `request_id`).
 * - `skipped`: not sent, and why (`code`): see `jobSkipReasons`.
 * - `outcome_unknown`: sent, and neither the answer nor a later look-up tells what happened.
 * - `not_sent`: the job was cancelled (or failed) before this item.
 */
export const jobItemStates = ['queued', 'sending', 'done', 'failed', 'skipped', 'outcome_unknown', 'not_sent'] as const;
export const jobItemStateSchema = z.enum(jobItemStates);
export type JobItemState = z.infer<typeof jobItemStateSchema>;

/**
 * Why an item is (or would be) skipped without calling Belvo.
 * - `in_cooldown`: refreshed less than 10 minutes ago (Belvo would answer 409).
 * - `already_deleted`: gone from the index, deleted by Linkdesk, or an async delete is pending.
 * - `status_not_refreshable`: a refresh the link's status cannot take (invalid or token_required
 *   links need the owner's credentials or MFA; unconfirmed links are mid-registration).
 * - `in_other_job`: an open job already holds this link.
 * - `not_found`: Belvo (or the index) has no such link.
 */
export const jobSkipReasons = ['in_cooldown', 'already_deleted', 'status_not_refreshable', 'in_other_job', 'not_found'] as const;
export const jobSkipReasonSchema = z.enum(jobSkipReasons);
export type JobSkipReason = z.infer<typeof jobSkipReasonSchema>;

/** Statuses a bulk refresh sends; the others are skipped with `status_not_refreshable`. */
export const refreshableStatuses = ['valid'] as const;

export const defaultMaxLinksPerJob = 1_000;

/**
 * The index filters a job may select by: the keys and string values of `GET /bff/index/links`
 * (`./link-index-query.ts`) without `sort`, `order`, `page` and `page_size`. Booleans and numbers
 * are accepted and read as their string form. A filter needs a completed full sync of the index.
 */
export const jobFilterKeys = [
  'q',
  'status',
  'institution',
  'access_mode',
  'refresh_rate',
  'orphan',
  'duplicate',
  'stale',
  'created_from',
  'created_to',
] as const;
// partialRecord: any subset of the keys (z.record over an enum would demand every key).
export const jobFilterSchema = z.partialRecord(z.enum(jobFilterKeys), z.union([z.string(), z.boolean(), z.number()]));
export type JobFilter = z.infer<typeof jobFilterSchema>;

/**
 * `POST /bff/jobs` (support and admin, CSRF-checked). Exactly one of `link_ids` and `filter`.
 * `mode` only for deletes (default `async`); `resources` only for refreshes (default: all).
 * `dry_run: true` answers 200 with the preview and stores nothing; nothing reaches Belvo.
 * `confirmation`, when given, must equal the preview's `confirmation` phrase (the console always
 * sends it; it guards against a selection that changed between the preview and the start).
 */
export const createJobBodySchema = z.strictObject({
  action: jobActionSchema,
  mode: z.optional(jobDeleteModeSchema),
  link_ids: z.optional(z.array(linkIdSchema).check(z.minLength(1, 'link_ids needs at least one link id'))),
  filter: z.optional(jobFilterSchema),
  resources: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1, 'resources needs at least one resource'))),
  dry_run: z.optional(z.boolean()),
  confirmation: z.optional(z.string()),
});
export type CreateJobBody = z.infer<typeof createJobBodySchema>;

/** What a job was asked to act on, as the audit and the job page show it. */
export const jobSelectionSchema = z.object({
  kind: z.enum(['link_ids', 'filter']),
  filter: z.nullable(z.record(z.string(), z.string())),
  /** Links asked for (before the maximum and duplicates were checked). */
  requested: z.int(),
});
export type JobSelection = z.infer<typeof jobSelectionSchema>;

export const jobPreviewItemSchema = z.object({
  link_id: z.string(),
  external_id: z.nullable(z.string()),
  institution: z.nullable(z.string()),
  /** The link's status in the index; null when the index does not have it yet (checked at Belvo when sent). */
  status: z.nullable(linkStatusSchema),
  decision: z.enum(['send', 'skip']),
  reason: z.nullable(jobSkipReasonSchema),
  /** A sentence for people, in English; the console translates `reason` instead. */
  message: z.nullable(z.string()),
});
export type JobPreviewItem = z.infer<typeof jobPreviewItemSchema>;

/** `POST /bff/jobs` with `dry_run: true` → 200. */
export const jobPreviewSchema = z.object({
  dry_run: z.literal(true),
  action: jobActionSchema,
  mode: z.nullable(jobDeleteModeSchema),
  resources: z.nullable(z.array(z.string())),
  selection: jobSelectionSchema,
  total: z.int(),
  will_send: z.int(),
  will_skip: z.int(),
  max_links_per_job: z.int(),
  /** The phrase a person types to start, e.g. `delete 37 links` (`… in production` against production). */
  confirmation: z.string(),
  /** Requests the job will send, and the minutes that takes at the background pace (rounded up). */
  estimated_minutes: z.number(),
  items: z.array(jobPreviewItemSchema),
});
export type JobPreview = z.infer<typeof jobPreviewSchema>;

export const jobItemSchema = z.object({
  link_id: z.string(),
  external_id: z.nullable(z.string()),
  institution: z.nullable(z.string()),
  state: jobItemStateSchema,
  /** Belvo's HTTP status, when it answered. */
  http_status: z.nullable(z.int()),
  /** A skip reason, Belvo's error code, or Linkdesk's (`outcome_unknown`, `not_sent`). */
  code: z.nullable(z.string()),
  message: z.nullable(z.string()),
  /** Belvo's request_id (of the 202, or of its error). */
  request_id: z.nullable(z.string()),
  /** An async delete Belvo accepted and has not yet confirmed with `link_deleted`. */
  awaiting_confirmation: z.boolean(),
  sent_at: z.nullable(z.number()),
  finished_at: z.nullable(z.number()),
});
export type JobItem = z.infer<typeof jobItemSchema>;

export const jobSchema = z.object({
  id: z.string(),
  action: jobActionSchema,
  mode: z.nullable(jobDeleteModeSchema),
  resources: z.nullable(z.array(z.string())),
  state: jobStateSchema,
  /** Why a job is paused or failed (`person`, `upstream_errors`, `belvo_refused`, …) with a sentence. */
  pause_reason: z.nullable(z.string()),
  error: z.nullable(z.string()),
  selection: jobSelectionSchema,
  created_by: z.string(),
  created_at: z.number(),
  started_at: z.nullable(z.number()),
  finished_at: z.nullable(z.number()),
  total: z.int(),
  /** Items handed to Belvo so far (done + failed + outcome_unknown + sending). */
  sent: z.int(),
  done: z.int(),
  failed: z.int(),
  skipped: z.int(),
  outcome_unknown: z.int(),
  not_sent: z.int(),
  /** Items still `queued`. */
  remaining: z.int(),
  /** Async deletes accepted and not yet confirmed by `link_deleted`. */
  awaiting_confirmation: z.int(),
  /** Items finished per minute over the last minutes of running; null before there is a rate. */
  rate_per_minute: z.nullable(z.number()),
  eta_seconds: z.nullable(z.number()),
  server_time: z.number(),
  /** Only on `GET /bff/jobs/{id}`: every item, in the order they run. */
  items: z.optional(z.array(jobItemSchema)),
});
export type Job = z.infer<typeof jobSchema>;

/** `GET /bff/jobs`: newest first, without items. */
export const jobListSchema = z.object({ jobs: z.array(jobSchema), server_time: z.number() });
export type JobList = z.infer<typeof jobListSchema>;
