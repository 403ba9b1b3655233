import type { JobAction, JobDeleteMode, JobItemState, JobSelection, JobState } from '../../contract/bff/jobs.ts';
import type { Db } from './database.ts';

/**
 * Bulk jobs' SQL: a job row and one item per link, in the order they run. Every count a job page
 * shows is derived from the items here, so a crash can never leave a counter that disagrees
 * with them. Whether an async delete still awaits Belvo's `link_deleted` is a join on the
 * operation its request_id started (the webhook intake completes that operation).
 */
export interface JobRow {
  seq: number;
  id: string;
  action: JobAction;
  mode: JobDeleteMode | null;
  resources: string[] | null;
  state: JobState;
  pause_reason: string | null;
  error: string | null;
  selection: JobSelection;
  created_by: string;
  created_role: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export interface JobItemRow {
  job_id: string;
  position: number;
  link_id: string;
  external_id: string | null;
  institution: string | null;
  state: JobItemState;
  http_status: number | null;
  code: string | null;
  message: string | null;
  request_id: string | null;
  sent_at: number | null;
  finished_at: number | null;
  awaiting_confirmation: number;
}

export type NewJobItem = Pick<JobItemRow, 'link_id' | 'external_id' | 'institution' | 'state' | 'code' | 'message'>;

export interface JobCounts {
  total: number;
  queued: number;
  sending: number;
  done: number;
  failed: number;
  skipped: number;
  outcome_unknown: number;
  not_sent: number;
  awaiting_confirmation: number;
}

/** The outcome of an item as the runner records it. */
export interface ItemOutcome {
  state: Exclude<JobItemState, 'queued' | 'sending'>;
  http_status?: number | null;
  code?: string | null;
  message?: string | null;
  request_id?: string | null;
}

type StoredJob = Omit<JobRow, 'resources' | 'selection'> & { resources: string | null; selection: string };

const toJob = (row: StoredJob): JobRow => ({
  ...row,
  resources: row.resources ? (JSON.parse(row.resources) as string[]) : null,
  selection: JSON.parse(row.selection) as JobSelection,
});

const openStates = "('queued', 'running', 'paused')";
// An async delete Belvo accepted (202) whose operation is still pending.
const awaitingSql = `(i.state = 'done' AND i.request_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM operations o WHERE o.request_id = i.request_id AND o.kind = 'delete' AND o.state = 'pending'))`;

export function createJobStore(db: Db) {
  const statements = {
    insertJob: db.prepare(
      `INSERT INTO jobs (id, action, mode, resources, state, selection, created_by, created_role, created_at)
       VALUES (@id, @action, @mode, @resources, 'queued', @selection, @created_by, @created_role, @created_at)`,
    ),
    insertItem: db.prepare(
      `INSERT INTO job_items (job_id, position, link_id, external_id, institution, state, code, message, finished_at)
       VALUES (@job_id, @position, @link_id, @external_id, @institution, @state, @code, @message, @finished_at)`,
    ),
    job: db.prepare('SELECT * FROM jobs WHERE id = ?'),
    list: db.prepare('SELECT * FROM jobs ORDER BY seq DESC LIMIT ?'),
    nextRunnable: db.prepare("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY seq LIMIT 1"),
    counts: db.prepare(
      `SELECT count(*) AS total,
        coalesce(sum(i.state = 'queued'), 0) AS queued, coalesce(sum(i.state = 'sending'), 0) AS sending,
        coalesce(sum(i.state = 'done'), 0) AS done, coalesce(sum(i.state = 'failed'), 0) AS failed,
        coalesce(sum(i.state = 'skipped'), 0) AS skipped, coalesce(sum(i.state = 'outcome_unknown'), 0) AS outcome_unknown,
        coalesce(sum(i.state = 'not_sent'), 0) AS not_sent, coalesce(sum(${awaitingSql}), 0) AS awaiting_confirmation
       FROM job_items i WHERE i.job_id = ?`,
    ),
    items: db.prepare(`SELECT i.*, ${awaitingSql} AS awaiting_confirmation FROM job_items i WHERE i.job_id = ? ORDER BY i.position`),
    nextQueued: db.prepare(`SELECT i.*, 0 AS awaiting_confirmation FROM job_items i WHERE i.job_id = ? AND i.state = 'queued' ORDER BY i.position LIMIT ?`),
    sending: db.prepare(`SELECT i.*, 0 AS awaiting_confirmation FROM job_items i WHERE i.job_id = ? AND i.state = 'sending' ORDER BY i.position`),
    markSending: db.prepare("UPDATE job_items SET state = 'sending', sent_at = ? WHERE job_id = ? AND position = ? AND state = 'queued'"),
    finishItem: db.prepare(
      `UPDATE job_items SET state = @state, http_status = @http_status, code = @code, message = @message, request_id = coalesce(@request_id, request_id), finished_at = @finished_at
       WHERE job_id = @job_id AND position = @position`,
    ),
    requeue: db.prepare("UPDATE job_items SET state = 'queued', sent_at = NULL WHERE job_id = ? AND position = ? AND state IN ('queued', 'sending')"),
    notSent: db.prepare("UPDATE job_items SET state = 'not_sent', code = 'not_sent', message = ?, finished_at = ? WHERE job_id = ? AND state = 'queued'"),
    setState: db.prepare(
      `UPDATE jobs SET state = @state, pause_reason = @pause_reason, error = @error,
        started_at = coalesce(started_at, @started_at), finished_at = @finished_at WHERE id = @id`,
    ),
    openHolding: db.prepare(
      `SELECT DISTINCT i.link_id FROM job_items i JOIN jobs j ON j.id = i.job_id
       WHERE i.link_id IN (SELECT value FROM json_each(?)) AND i.state IN ('queued', 'sending') AND j.state IN ${openStates}`,
    ),
    jobsWithLink: db.prepare("SELECT DISTINCT job_id FROM job_items WHERE link_id = ? AND state = 'done' AND request_id IS NOT NULL"),
    finishedSince: db.prepare(
      "SELECT count(*) AS n, min(finished_at) AS first FROM job_items WHERE job_id = ? AND sent_at IS NOT NULL AND finished_at >= ? AND state IN ('done', 'failed', 'outcome_unknown')",
    ),
  };

  return {
    /** The job and all its items, in one transaction: a job is never stored half. */
    create: db.transaction(
      (job: Pick<JobRow, 'id' | 'action' | 'mode' | 'resources' | 'selection' | 'created_by' | 'created_role' | 'created_at'>, items: readonly NewJobItem[]) => {
        statements.insertJob.run({ ...job, resources: job.resources ? JSON.stringify(job.resources) : null, selection: JSON.stringify(job.selection) });
        items.forEach((item, position) => statements.insertItem.run({ job_id: job.id, position, ...item, finished_at: item.state === 'skipped' ? job.created_at : null }));
      },
    ),
    job(id: string): JobRow | null {
      const row = statements.job.get(id) as StoredJob | undefined;
      return row ? toJob(row) : null;
    },
    list(limit = 50): JobRow[] {
      return (statements.list.all(limit) as StoredJob[]).map(toJob);
    },
    /** The oldest job that is queued or running (jobs run one at a time, first come first served). */
    nextRunnable(): JobRow | null {
      const row = statements.nextRunnable.get() as StoredJob | undefined;
      return row ? toJob(row) : null;
    },
    counts(jobId: string): JobCounts {
      return statements.counts.get(jobId) as JobCounts;
    },
    items(jobId: string): JobItemRow[] {
      return statements.items.all(jobId) as JobItemRow[];
    },
    /** The first queued item, in run order, that is not among `taken` (positions this process already holds). */
    nextQueued(jobId: string, taken: ReadonlySet<number> = new Set()): JobItemRow | null {
      const rows = statements.nextQueued.all(jobId, taken.size + 1) as JobItemRow[];
      return rows.find((row) => !taken.has(row.position)) ?? null;
    },
    /** Items handed to Belvo without a recorded answer: a crash (or a stop) between sending and recording. */
    sending(jobId: string): JobItemRow[] {
      return statements.sending.all(jobId) as JobItemRow[];
    },
    /**
     * Written (and committed) when the rate limiter lets the request leave, just before it does: a
     * crash never hides that it may have been sent, and an item still waiting for its turn stays
     * `queued`. False when the item is no longer queued (cancelled meanwhile).
     */
    markSending(jobId: string, position: number, at: number): boolean {
      return statements.markSending.run(at, jobId, position).changes === 1;
    },
    finishItem(jobId: string, position: number, outcome: ItemOutcome, at: number) {
      statements.finishItem.run({
        job_id: jobId,
        position,
        state: outcome.state,
        http_status: outcome.http_status ?? null,
        code: outcome.code ?? null,
        message: outcome.message ?? null,
        request_id: outcome.request_id ?? null,
        finished_at: at,
      });
    },
    /** Back to queued: nothing reached Belvo (the sync-delete budget was spent, or Belvo throttled). */
    requeue(jobId: string, position: number) {
      statements.requeue.run(jobId, position);
    },
    /** Every item still queued becomes not_sent (a cancel, or Belvo refusing Linkdesk). */
    markRestNotSent(jobId: string, message: string, at: number): number {
      return statements.notSent.run(message, at, jobId).changes;
    },
    setState(jobId: string, change: { state: JobState; pause_reason?: string | null; error?: string | null; started_at?: number | null; finished_at?: number | null }) {
      statements.setState.run({
        id: jobId,
        state: change.state,
        pause_reason: change.pause_reason ?? null,
        error: change.error ?? null,
        started_at: change.started_at ?? null,
        finished_at: change.finished_at ?? null,
      });
    },
    /** Of these links, the ones an open job still has to send. */
    linksInOpenJobs(linkIds: readonly string[]): Set<string> {
      return new Set((statements.openHolding.all(JSON.stringify(linkIds)) as { link_id: string }[]).map((row) => row.link_id));
    },
    /** Jobs with an accepted item for this link (an async delete's confirmation moves their counts). */
    jobsWithLink(linkId: string): string[] {
      return (statements.jobsWithLink.all(linkId) as { job_id: string }[]).map((row) => row.job_id);
    },
    /** Items sent and answered since `since`, and when the first of them finished. */
    finishedSince(jobId: string, since: number): { n: number; first: number | null } {
      return statements.finishedSince.get(jobId, since) as { n: number; first: number | null };
    },
  };
}
export type JobStore = ReturnType<typeof createJobStore>;
