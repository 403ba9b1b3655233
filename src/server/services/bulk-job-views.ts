import type { Job, JobItem } from '../../contract/bff/jobs.ts';
import type { Clock } from '../../contract/clock.ts';
import type { EventBus } from '../events.ts';
import type { JobItemRow, JobRow, JobStore } from '../store/jobs.ts';
import { csvCell } from './link-index.ts';

const rateWindowMs = 5 * 60_000;

/** A stored job as `/bff/jobs` shows it: counts derived from its items, rate and time left, and its results as CSV. */
export function createJobViews(deps: { jobs: JobStore; clock: Clock }) {
  const { jobs, clock } = deps;

  /** Items answered per minute over the last five minutes of running (or up to the end), and the time left at that rate. */
  async function rateOf(job: JobRow, remaining: number): Promise<{ rate: number | null; eta: number | null }> {
    if (job.started_at === null) return { rate: null, eta: null };
    const end = job.finished_at ?? clock.now();
    const since = Math.max(job.started_at, end - rateWindowMs);
    const { n } = await jobs.finishedSince(job.id, since);
    if (n < 1) return { rate: null, eta: null };
    const rate = Math.round((n / (Math.max(end - since, 1_000) / 60_000)) * 10) / 10;
    if (job.state !== 'running') return { rate, eta: job.finished_at !== null ? 0 : null };
    return { rate, eta: Math.ceil((remaining / rate) * 60) };
  }

  const toItem = (row: JobItemRow): JobItem => ({
    link_id: row.link_id,
    external_id: row.external_id,
    institution: row.institution,
    state: row.state,
    http_status: row.http_status,
    code: row.code,
    message: row.message,
    request_id: row.request_id,
    awaiting_confirmation: row.awaiting_confirmation === 1,
    sent_at: row.sent_at,
    finished_at: row.finished_at,
  });

  async function view(job: JobRow, withItems: boolean): Promise<Job> {
    const counts = await jobs.counts(job.id);
    const { rate, eta } = await rateOf(job, counts.queued + counts.sending);
    return {
      id: job.id,
      action: job.action,
      mode: job.mode,
      resources: job.resources,
      state: job.state,
      pause_reason: job.pause_reason,
      error: job.error,
      selection: job.selection,
      created_by: job.created_by,
      created_at: job.created_at,
      started_at: job.started_at,
      finished_at: job.finished_at,
      total: counts.total,
      sent: counts.done + counts.failed + counts.outcome_unknown + counts.sending,
      done: counts.done,
      failed: counts.failed,
      skipped: counts.skipped,
      outcome_unknown: counts.outcome_unknown,
      not_sent: counts.not_sent,
      remaining: counts.queued,
      awaiting_confirmation: counts.awaiting_confirmation,
      rate_per_minute: rate,
      eta_seconds: eta,
      server_time: clock.now(),
      ...(withItems ? { items: (await jobs.items(job.id)).map(toItem) } : {}),
    };
  }

  return {
    view,
    /** Every item with its result, as CSV (formula-like cells defused as in the index export). */
    async resultsCsv(id: string): Promise<string | null> {
      const job = await jobs.job(id);
      if (!job) return null;
      const header = ['position', 'link_id', 'external_id', 'institution', 'state', 'http_status', 'code', 'message', 'belvo_request_id', 'awaiting_confirmation', 'sent_at', 'finished_at'];
      const iso = (at: number | null) => (at === null ? '' : new Date(at).toISOString());
      const lines = (await jobs.items(id)).map((item) =>
        [item.position + 1, item.link_id, item.external_id, item.institution, item.state, item.http_status, item.code, item.message, item.request_id, item.awaiting_confirmation === 1, iso(item.sent_at), iso(item.finished_at)]
          .map(csvCell)
          .join(','),
      );
      return `${header.join(',')}\r\n${lines.map((line) => `${line}\r\n`).join('')}`;
    },
  };
}

/** `job-changed` for every open dashboard: on each state change (`force`), and for progress at most every `everyMs` per job. */
export function createJobPublisher(events: EventBus, everyMs: number) {
  const lastPublished = new Map<string, number>();
  const trailing = new Map<string, ReturnType<typeof setTimeout>>();
  const send = (jobId: string) => {
    lastPublished.set(jobId, Date.now());
    events.publish({ type: 'job-changed', job_id: jobId });
  };
  return {
    publish(jobId: string, force = false) {
      const now = Date.now();
      const last = lastPublished.get(jobId) ?? 0;
      if (force || now - last >= everyMs) {
        clearTimeout(trailing.get(jobId));
        trailing.delete(jobId);
        send(jobId);
        return;
      }
      if (trailing.has(jobId)) return;
      const timer = setTimeout(() => {
        trailing.delete(jobId);
        send(jobId);
      }, everyMs - (now - last));
      timer.unref?.();
      trailing.set(jobId, timer);
    },
    close() {
      for (const timer of trailing.values()) clearTimeout(timer);
      trailing.clear();
    },
  };
}
