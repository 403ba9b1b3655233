import type { JobAction, JobDeleteMode, JobItemState, JobSelection, JobState } from '../../contract/bff/jobs.ts';
import { sql } from 'kysely';
import { locks, serialized, type Db } from './database.ts';

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

const openStates = ['queued', 'running', 'paused'] as const;
// An async delete Belvo accepted (202) whose operation is still pending, as 1 or 0 on both databases.
const awaiting = sql<number>`CASE WHEN i.state = 'done' AND i.request_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM operations o WHERE o.request_id = i.request_id AND o.kind = 'delete' AND o.state = 'pending') THEN 1 ELSE 0 END`;
const countOf = (state: JobItemState) => sql<number>`coalesce(sum(CASE WHEN i.state = ${state} THEN 1 ELSE 0 END), 0)`;

/** Items inserted per statement (10 parameters each). */
const itemBatch = 500;

export function createJobStore(db: Db) {
  const itemColumns = ['i.job_id', 'i.position', 'i.link_id', 'i.external_id', 'i.institution', 'i.state', 'i.http_status', 'i.code', 'i.message', 'i.request_id', 'i.sent_at', 'i.finished_at'] as const;
  const job = async (executor: Db, id: string) => {
    const row = await executor.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row as StoredJob) : null;
  };

  return {
    /** The job and all its items, in one transaction: a job is never stored half. */
    async create(job: Pick<JobRow, 'id' | 'action' | 'mode' | 'resources' | 'selection' | 'created_by' | 'created_role' | 'created_at'>, items: readonly NewJobItem[]) {
      await serialized(db, locks.jobs, async (trx) => {
        await trx
          .insertInto('jobs')
          .values({ ...job, state: 'queued', resources: job.resources ? JSON.stringify(job.resources) : null, selection: JSON.stringify(job.selection) })
          .execute();
        for (let start = 0; start < items.length; start += itemBatch) {
          await trx
            .insertInto('job_items')
            .values(
              items.slice(start, start + itemBatch).map((item, offset) => ({
                job_id: job.id,
                position: start + offset,
                link_id: item.link_id,
                external_id: item.external_id,
                institution: item.institution,
                state: item.state,
                code: item.code,
                message: item.message,
                finished_at: item.state === 'skipped' ? job.created_at : null,
              })),
            )
            .execute();
        }
      });
    },
    job: (id: string): Promise<JobRow | null> => job(db, id),
    async list(limit = 50): Promise<JobRow[]> {
      return (await db.selectFrom('jobs').selectAll().orderBy('seq', 'desc').limit(limit).execute()).map((row) => toJob(row as StoredJob));
    },
    /** The oldest job that is queued or running (jobs run one at a time, first come first served). */
    async nextRunnable(): Promise<JobRow | null> {
      const row = await db.selectFrom('jobs').selectAll().where('state', 'in', ['queued', 'running']).orderBy('seq').limit(1).executeTakeFirst();
      return row ? toJob(row as StoredJob) : null;
    },
    async counts(jobId: string): Promise<JobCounts> {
      return db
        .selectFrom('job_items as i')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          countOf('queued').as('queued'),
          countOf('sending').as('sending'),
          countOf('done').as('done'),
          countOf('failed').as('failed'),
          countOf('skipped').as('skipped'),
          countOf('outcome_unknown').as('outcome_unknown'),
          countOf('not_sent').as('not_sent'),
          sql<number>`coalesce(sum(${awaiting}), 0)`.as('awaiting_confirmation'),
        ])
        .where('i.job_id', '=', jobId)
        .executeTakeFirstOrThrow();
    },
    async items(jobId: string): Promise<JobItemRow[]> {
      return (await db
        .selectFrom('job_items as i')
        .select([...itemColumns, awaiting.as('awaiting_confirmation')])
        .where('i.job_id', '=', jobId)
        .orderBy('i.position')
        .execute()) as JobItemRow[];
    },
    /** The first queued item, in run order, that is not among `taken` (positions this process already holds). */
    async nextQueued(jobId: string, taken: ReadonlySet<number> = new Set()): Promise<JobItemRow | null> {
      const rows = (await db
        .selectFrom('job_items as i')
        .select([...itemColumns, sql<number>`0`.as('awaiting_confirmation')])
        .where('i.job_id', '=', jobId)
        .where('i.state', '=', 'queued')
        .orderBy('i.position')
        .limit(taken.size + 1)
        .execute()) as JobItemRow[];
      return rows.find((row) => !taken.has(row.position)) ?? null;
    },
    /** Items handed to Belvo without a recorded answer: a crash (or a stop) between sending and recording. */
    async sending(jobId: string): Promise<JobItemRow[]> {
      return (await db
        .selectFrom('job_items as i')
        .select([...itemColumns, sql<number>`0`.as('awaiting_confirmation')])
        .where('i.job_id', '=', jobId)
        .where('i.state', '=', 'sending')
        .orderBy('i.position')
        .execute()) as JobItemRow[];
    },
    /**
     * Written (and committed) when the rate limiter lets the request leave, just before it does: a
     * crash never hides that it may have been sent, and an item still waiting for its turn stays
     * `queued`. False when the item is no longer queued (cancelled meanwhile).
     */
    async markSending(jobId: string, position: number, at: number): Promise<boolean> {
      const result = await db
        .updateTable('job_items')
        .set({ state: 'sending', sent_at: at })
        .where('job_id', '=', jobId)
        .where('position', '=', position)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async finishItem(jobId: string, position: number, outcome: ItemOutcome, at: number) {
      await db
        .updateTable('job_items')
        .set((eb) => ({
          state: outcome.state,
          http_status: outcome.http_status ?? null,
          code: outcome.code ?? null,
          message: outcome.message ?? null,
          request_id: eb.fn.coalesce(eb.val(outcome.request_id ?? null), eb.ref('request_id')),
          finished_at: at,
        }))
        .where('job_id', '=', jobId)
        .where('position', '=', position)
        .execute();
    },
    /** Back to queued: nothing reached Belvo (the sync-delete budget was spent, or Belvo throttled). */
    async requeue(jobId: string, position: number) {
      await db
        .updateTable('job_items')
        .set({ state: 'queued', sent_at: null })
        .where('job_id', '=', jobId)
        .where('position', '=', position)
        .where('state', 'in', ['queued', 'sending'])
        .execute();
    },
    /** Every item still queued becomes not_sent (a cancel, or Belvo refusing Linkdesk). */
    async markRestNotSent(jobId: string, message: string, at: number): Promise<number> {
      const result = await db
        .updateTable('job_items')
        .set({ state: 'not_sent', code: 'not_sent', message, finished_at: at })
        .where('job_id', '=', jobId)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async setState(jobId: string, change: { state: JobState; pause_reason?: string | null; error?: string | null; started_at?: number | null; finished_at?: number | null }) {
      await db
        .updateTable('jobs')
        .set((eb) => ({
          state: change.state,
          pause_reason: change.pause_reason ?? null,
          error: change.error ?? null,
          started_at: eb.fn.coalesce(eb.ref('started_at'), eb.val(change.started_at ?? null)),
          finished_at: change.finished_at ?? null,
        }))
        .where('id', '=', jobId)
        .execute();
    },
    /** Of these links, the ones an open job still has to send. */
    async linksInOpenJobs(linkIds: readonly string[]): Promise<Set<string>> {
      const held = new Set<string>();
      for (let start = 0; start < linkIds.length; start += itemBatch) {
        const rows = await db
          .selectFrom('job_items as i')
          .innerJoin('jobs as j', 'j.id', 'i.job_id')
          .select('i.link_id')
          .distinct()
          .where('i.link_id', 'in', linkIds.slice(start, start + itemBatch))
          .where('i.state', 'in', ['queued', 'sending'])
          .where('j.state', 'in', openStates)
          .execute();
        for (const row of rows) held.add(row.link_id);
      }
      return held;
    },
    /** Jobs with an accepted item for this link (an async delete's confirmation moves their counts). */
    async jobsWithLink(linkId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('job_items')
        .select('job_id')
        .distinct()
        .where('link_id', '=', linkId)
        .where('state', '=', 'done')
        .where('request_id', 'is not', null)
        .execute();
      return rows.map((row) => row.job_id);
    },
    /** Items sent and answered since `since`, and when the first of them finished. */
    async finishedSince(jobId: string, since: number): Promise<{ n: number; first: number | null }> {
      return db
        .selectFrom('job_items')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number | null>('finished_at').as('first')])
        .where('job_id', '=', jobId)
        .where('sent_at', 'is not', null)
        .where('finished_at', '>=', since)
        .where('state', 'in', ['done', 'failed', 'outcome_unknown'])
        .executeTakeFirstOrThrow();
    },
  };
}
export type JobStore = ReturnType<typeof createJobStore>;
