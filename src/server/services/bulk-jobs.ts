import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CreateJobBody, Job, JobList, JobPreview } from '../../contract/bff/jobs.ts';
import type { Clock } from '../../contract/clock.ts';
import type { BelvoMode, RateLimitConfig } from '../config.ts';
import { findRequestId, firstError, type Outcome } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { AuditActor, AuditLog } from '../store/audit.ts';
import type { ItemOutcome, JobItemRow, JobRow, JobStore, NewJobItem } from '../store/jobs.ts';
import type { OperationsStore } from '../store/operations.ts';
import { createJobPlanner, fail, skipMessages, type JobAnswer } from './bulk-job-plans.ts';
import { createJobPublisher, createJobViews } from './bulk-job-views.ts';
import type { LinkIndexService } from './link-index.ts';
import type { LinkOperations } from './link-operations.ts';

export interface BulkJobsDeps {
  jobs: JobStore;
  operations: OperationsStore;
  linkIndex: LinkIndexService;
  linkOperations: LinkOperations;
  audit: AuditLog;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  mode: BelvoMode;
  maxLinksPerJob: number;
  /** The shared limiter's budget: what the background pace (and so the estimate) is. */
  rateLimit: RateLimitConfig;
  /** Consecutive upstream errors (5xx, timeouts, dropped connections) after which a job pauses. */
  maxConsecutiveErrors?: number;
  /** Least time between two progress events of one job; state changes are always published. */
  publishEveryMs?: number;
}


/**
 * What one step of the runner did, and when it may take the next: `idle` (no job to run), `busy`
 * (the running job's last items are in flight; the next `job-changed` says when they are answered).
 */
export type JobStep = { kind: 'idle' } | { kind: 'busy' } | { kind: 'worked' } | { kind: 'wait'; until: number };

/**
 * Bulk deletes and refreshes as durable jobs: the stored job (its plan from bulk-job-plans.ts, how
 * it reads from bulk-job-views.ts), a person's pause, resume and cancel, and the steps the
 * background runner takes. Each link goes through the same `deleteLink` / `refreshLink` as a
 * click, at background priority.
 */
export function createBulkJobs(deps: BulkJobsDeps) {
  const { jobs, operations, linkIndex, linkOperations, audit, events, clock, logger } = deps;
  const { preview, skipReason } = createJobPlanner(deps);
  const { view, resultsCsv } = createJobViews(deps);
  const maxErrors = deps.maxConsecutiveErrors ?? 5;
  const consecutiveErrors = new Map<string, number>();
  // Items this process holds right now, by job: waiting for a rate-limit slot, being sent or being
  // settled. The runner keeps a few in flight; an item marked `sending` that is not held here was
  // left by a previous process.
  const inHand = new Map<string, Set<number>>();
  const held = (jobId: string): Set<number> => inHand.get(jobId) ?? new Set();
  const claim = (jobId: string, position: number) => {
    inHand.set(jobId, (inHand.get(jobId) ?? new Set<number>()).add(position));
  };
  /** Runs the work on an item claimed by `choose`, and lets go of it afterwards. */
  async function holding<T>(jobId: string, position: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } finally {
      const positions = inHand.get(jobId);
      positions?.delete(position);
      if (positions?.size === 0) inHand.delete(jobId);
    }
  }
  /**
   * Set when the process stops, or this instance loses the background lease: items still waiting for
   * a rate-limit slot go back to the queue unsent.
   */
  let halted = false;

  const { publish, close: closePublisher } = createJobPublisher(events, deps.publishEveryMs ?? 250);

  // An async delete's confirmation (`link_deleted`) changes a job's "awaiting confirmation".
  const unsubscribe = events.subscribe((event) => {
    if (event.type !== 'link-deleted' || !event.link_id) return;
    jobs.jobsWithLink(event.link_id).then(
      (jobIds) => {
        for (const jobId of jobIds) publish(jobId, true);
      },
      (error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not find the jobs of a deleted link'),
    );
  });

  async function create(body: CreateJobBody, actor: AuditActor): Promise<JobAnswer<JobPreview | Job>> {
    const previewed = await preview(body);
    if (!previewed.ok || body.dry_run) return previewed;
    const plan = previewed.body;
    if (body.confirmation !== undefined && body.confirmation !== plan.confirmation) {
      return fail(
        409,
        'confirmation_mismatch',
        `The confirmation does not match: the job would now need "${plan.confirmation}". The selection changed since the preview (links deleted, refreshed or taken by another job); preview again.`,
        'confirmation',
      );
    }
    if (plan.will_send === 0) return fail(400, 'nothing_to_send', 'Every selected link would be skipped, so there is nothing to send. See the preview for why.');
    const id = randomUUID();
    const items: NewJobItem[] = plan.items.map((item) => ({
      link_id: item.link_id,
      external_id: item.external_id,
      institution: item.institution,
      state: item.decision === 'send' ? 'queued' : 'skipped',
      code: item.reason,
      message: item.message,
    }));
    await jobs.create(
      { id, action: plan.action, mode: plan.mode, resources: plan.resources, selection: plan.selection, created_by: actor.actor, created_role: actor.role, created_at: clock.now() },
      items,
    );
    const finish = await audit.attempt('job.create', actor, {
      detail: {
        job_id: id,
        action: plan.action,
        mode: plan.mode ?? undefined,
        resources: plan.resources ?? undefined,
        links: plan.total,
        will_send: plan.will_send,
        selection: plan.selection.kind,
        filter: plan.selection.filter ?? undefined,
        link_ids: plan.selection.kind === 'link_ids' ? plan.items.map((item) => item.link_id) : undefined,
      },
    });
    await finish('success');
    publish(id, true);
    return { ok: true, status: 201, body: await view((await jobs.job(id)) as JobRow, false) };
  }


  /** A person's pause, resume or cancel: what is allowed from which state, audited. */
  async function control(id: string, verb: 'pause' | 'resume' | 'cancel', actor: AuditActor): Promise<JobAnswer<Job>> {
    const job = await jobs.job(id);
    if (!job) return fail(404, 'not_found', `There is no job ${id}.`);
    const finished = job.state === 'done' || job.state === 'cancelled' || job.state === 'failed';
    const now = clock.now();
    if (finished) return fail(409, 'job_finished', `The job is ${job.state}; there is nothing to ${verb}.`);
    if (verb === 'pause') {
      if (job.state === 'paused') return fail(409, 'job_paused', 'The job is already paused.');
      await jobs.setState(id, { state: 'paused', pause_reason: 'person', error: `Paused by ${actor.actor}.` });
    } else if (verb === 'resume') {
      if (job.state !== 'paused') return fail(409, 'job_not_paused', `The job is ${job.state}, not paused.`);
      consecutiveErrors.delete(id);
      await jobs.setState(id, { state: job.started_at === null ? 'queued' : 'running' });
    } else {
      const notSent = await jobs.markRestNotSent(id, `Cancelled by ${actor.actor} before it was sent.`, now);
      // An item being sent right now finishes and records its answer; the rest never leave.
      await jobs.setState(id, { state: 'cancelled', pause_reason: null, error: `Cancelled by ${actor.actor}.`, finished_at: now });
      await (await audit.attempt('job.cancel', actor, { detail: { job_id: id, not_sent: notSent } }))('success');
      publish(id, true);
      return { ok: true, status: 200, body: await view((await jobs.job(id)) as JobRow, true) };
    }
    await (await audit.attempt(verb === 'pause' ? 'job.pause' : 'job.resume', actor, { detail: { job_id: id } }))('success');
    publish(id, true);
    return { ok: true, status: 200, body: await view((await jobs.job(id)) as JobRow, true) };
  }

  // ---- The runner's steps -------------------------------------------------------------------

  const finishItem = async (job: JobRow, item: JobItemRow, outcome: ItemOutcome) => {
    await jobs.finishItem(job.id, item.position, outcome, clock.now());
    publish(job.id);
  };

  const isUpstreamError = (outcome: Outcome) => outcome.status >= 500 || outcome.status === 408;

  /** Belvo refused Linkdesk itself (its keys): no other item can succeed. */
  const refusesLinkdesk = (outcome: Outcome) =>
    outcome.status === 403 || (outcome.status === 502 && outcome.body?.includes('"belvo_authentication_failed"') === true);

  async function failJob(job: JobRow, message: string) {
    const now = clock.now();
    await jobs.markRestNotSent(job.id, 'Not sent: Belvo refused Linkdesk, so no link could be changed.', now);
    await jobs.setState(job.id, { state: 'failed', pause_reason: 'belvo_refused', error: message, finished_at: now });
    consecutiveErrors.delete(job.id);
    logger.warn({ job_id: job.id }, 'bulk job failed: Belvo refused Linkdesk');
    publish(job.id, true);
  }

  async function countUpstreamError(job: JobRow) {
    const errors = (consecutiveErrors.get(job.id) ?? 0) + 1;
    consecutiveErrors.set(job.id, errors);
    if (errors >= maxErrors) {
      consecutiveErrors.delete(job.id);
      const current = await jobs.job(job.id);
      if (current?.state === 'running') {
        await jobs.setState(job.id, {
          state: 'paused',
          pause_reason: 'upstream_errors',
          error: `Paused after ${errors} upstream errors in a row (Belvo answered 5xx, timed out or dropped the connection). Check Belvo's status page, then resume.`,
        });
        logger.warn({ job_id: job.id, errors }, 'bulk job paused after consecutive upstream errors');
        publish(job.id, true);
      }
    }
  }

  /**
   * An item that may have reached Belvo without an answer recorded (a crash after sending, a
   * timeout, a dropped connection) is never sent blindly again: the link is looked up first.
   */
  async function settleUnknown(job: JobRow, item: JobItemRow, answer: Outcome | null) {
    const sentAt = item.sent_at ?? clock.now();
    const base = answer ? { http_status: answer.status, request_id: answer.belvoRequestId ?? null } : {};
    const found = await linkOperations.findLink(item.link_id, 'background');
    const unknown = (why: string): ItemOutcome => ({ state: 'outcome_unknown', ...base, code: 'outcome_unknown', message: why });
    let outcome: ItemOutcome;
    if (found === null) outcome = unknown('Belvo did not answer, and the look-up afterwards failed too; check the link before acting on it again.');
    else if (job.action === 'delete') {
      if (found === 'gone') outcome = { state: 'done', ...base, code: null, message: 'Belvo no longer has the link (found by looking it up after the answer was lost).' };
      // Still there: the deletion did not happen yet, which is not the same as not at all (Belvo may
      // still be working on it, a synchronous one too). Never a second DELETE: a person decides.
      else if (job.mode === 'sync') outcome = unknown('Belvo still had the link when Linkdesk looked; the deletion may still have been under way. Check the link, then delete it again if it is still there.');
      else outcome = unknown('Belvo still has the link; an asynchronous deletion may or may not be under way, and Belvo cannot tell which.');
    } else {
      const accessed = found === 'gone' || found.last_accessed_at === null ? Number.NaN : Date.parse(found.last_accessed_at);
      if (accessed >= sentAt) outcome = { state: 'done', ...base, code: null, message: `Belvo read the link at ${new Date(accessed).toISOString()}, after the refresh was sent.` };
      else outcome = unknown(found === 'gone' ? 'Belvo no longer has the link.' : 'Belvo has not read the link since the refresh was sent; it may still be running.');
    }
    await finishItem(job, item, outcome);
  }

  async function sendItem(job: JobRow, item: JobItemRow): Promise<JobStep> {
    const complete = await linkIndex.complete();
    const row = complete ? ((await linkIndex.rowsByIds([item.link_id]))[0] ?? null) : null;
    // The rules again at send time: a cooldown, a deletion or a sync may have happened since the preview.
    const reason = await skipReason(job.action, item.link_id, row, complete);
    if (reason) {
      await finishItem(job, item, { state: 'skipped', code: reason, message: skipMessages[reason] });
      return { kind: 'worked' };
    }
    if (job.action === 'delete' && job.mode === 'sync') {
      const budget = await operations.budget();
      // Wait for a slot of the shared 5-a-minute budget rather than fail the item.
      if (budget.remaining <= 0) return { kind: 'wait', until: budget.next_slot_at ?? clock.now() + 1_000 };
    }
    const sending = { ...item, state: 'sending' as const, sent_at: clock.now() };
    const actor = { actor: job.created_by, role: job.created_role };
    const context = {
      jobId: job.id,
      priority: 'background' as const,
      knownLink: item.institution ? { external_id: item.external_id, institution: item.institution } : null,
      // Asked when the limiter lets the request go, which may be a while: a pause, a cancel or a
      // shutdown meanwhile wins; otherwise the item becomes `sending`, committed before it leaves.
      stillWanted: async () => {
        if (halted || (await jobs.job(job.id))?.state !== 'running') return false;
        sending.sent_at = clock.now();
        return await jobs.markSending(job.id, item.position, sending.sent_at);
      },
    };
    const { outcome } = job.action === 'delete'
      ? await linkOperations.deleteLink({ linkId: item.link_id, mode: job.mode ?? 'async', actor, job: context })
      : await linkOperations.refreshLink({ linkId: item.link_id, resources: job.resources, actor, job: context });

    if (outcome.notSent) {
      // Nothing reached Belvo and the item was never marked sending: it is still queued (paused,
      // shutting down) or already not_sent (the cancel marked it). Nothing to write.
      return { kind: 'worked' };
    }
    const fromLinkdesk = outcome.belvoRequestId === undefined && outcome.linkdeskRequestId !== undefined;
    const { code, message } = firstError(outcome.body);
    if (fromLinkdesk && outcome.status === 429) {
      // Linkdesk's own sync-delete budget: nothing was sent. Back in the queue until a slot frees.
      await jobs.requeue(job.id, item.position);
      const next = (await operations.budget()).next_slot_at;
      return { kind: 'wait', until: next ?? clock.now() + 1_000 };
    }
    if (fromLinkdesk && outcome.status === 404) {
      await finishItem(job, sending, { state: 'skipped', code: 'already_deleted', message: message ?? skipMessages.already_deleted });
      return { kind: 'worked' };
    }
    if (fromLinkdesk && outcome.status === 409) {
      await finishItem(job, sending, { state: 'skipped', code: 'in_cooldown', message: message ?? skipMessages.in_cooldown });
      return { kind: 'worked' };
    }
    if (refusesLinkdesk(outcome)) {
      await finishItem(job, sending, { state: 'failed', http_status: outcome.status, code, message, request_id: outcome.belvoRequestId ?? null });
      await failJob(job, `Belvo refused Linkdesk itself (HTTP ${outcome.status}${code ? `, ${code}` : ''}); no other link could succeed. An operator must check Linkdesk's Belvo keys.`);
      return { kind: 'worked' };
    }
    if (fromLinkdesk && (outcome.status === 502 || outcome.status === 504)) {
      // A timeout or a dropped connection: Belvo may have acted. Look before recording anything.
      await countUpstreamError(job);
      await settleUnknown(job, sending, outcome);
      return { kind: 'worked' };
    }
    if (outcome.status === 429) {
      // Belvo throttled the account: the limiter holds background work back; send this one again later.
      await jobs.requeue(job.id, item.position);
      return { kind: 'wait', until: clock.now() + 1_000 };
    }
    const requestId = outcome.belvoRequestId ?? (outcome.body ? (findRequestId(outcome.body) ?? null) : null);
    if (outcome.status >= 200 && outcome.status < 300) {
      consecutiveErrors.delete(job.id);
      await finishItem(job, sending, { state: 'done', http_status: outcome.status, code: null, message: null, request_id: requestId });
      return { kind: 'worked' };
    }
    if (isUpstreamError(outcome)) await countUpstreamError(job);
    else consecutiveErrors.delete(job.id);
    await finishItem(job, sending, { state: 'failed', http_status: outcome.status, code, message, request_id: requestId });
    return { kind: 'worked' };
  }

  /** One step of the oldest runnable job: settle an interrupted item, send the next, or finish. */
  type Choice = { kind: 'answer'; step: JobStep } | { kind: 'settle' | 'send'; job: JobRow; item: JobItemRow };

  // Choosing reads the store, so steps running side by side choose one at a time: the item is
  // claimed (held) before the choice is handed back, and no other step can take it too.
  let choosing: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const next = choosing.then(work);
    choosing = next.catch(() => {});
    return next;
  };

  const choose = (): Promise<Choice> =>
    oneAtATime(async (): Promise<Choice> => {
      let job = await jobs.nextRunnable();
      if (!job) return { kind: 'answer', step: { kind: 'idle' } };
      if (job.state === 'queued') {
        await jobs.setState(job.id, { state: 'running', started_at: clock.now() });
        publish(job.id, true);
        job = (await jobs.job(job.id)) as JobRow;
      }
      const current = job;
      const interrupted = (await jobs.sending(job.id)).find((item) => !held(current.id).has(item.position));
      if (interrupted) {
        claim(job.id, interrupted.position);
        return { kind: 'settle', job, item: interrupted };
      }
      const item = await jobs.nextQueued(job.id, held(job.id));
      if (item) {
        claim(job.id, item.position);
        return { kind: 'send', job, item };
      }
      if (held(job.id).size > 0 || (await jobs.sending(job.id)).length > 0) return { kind: 'answer', step: { kind: 'busy' } };
      await jobs.setState(job.id, { state: 'done', finished_at: clock.now() });
      consecutiveErrors.delete(job.id);
      publish(job.id, true);
      return { kind: 'answer', step: { kind: 'worked' } };
    });

  /** One step of the oldest runnable job: settle an interrupted item, send the next, or finish. */
  async function step(): Promise<JobStep> {
    const choice = await choose();
    if (choice.kind === 'answer') return choice.step;
    const { job, item } = choice;
    if (choice.kind === 'settle') {
      await holding(job.id, item.position, () => settleUnknown(job, item, null));
      return { kind: 'worked' };
    }
    return holding(job.id, item.position, () => sendItem(job, item));
  }

  return {
    preview,
    create,
    /** The newest jobs first, without items. */
    list: async (): Promise<JobList> => ({ jobs: await Promise.all((await jobs.list()).map((job) => view(job, false))), server_time: clock.now() }),
    async get(id: string): Promise<JobAnswer<Job>> {
      const job = await jobs.job(id);
      if (!job) return fail(404, 'not_found', `There is no job ${id}.`);
      return { ok: true, status: 200, body: await view(job, true) };
    },
    control,
    resultsCsv,
    step,
    /** The process is stopping: nothing more leaves; items waiting for their turn stay queued for the next start. */
    halt() {
      halted = true;
    },
    /** Background work (re)starts here, as when this instance takes the background lease back. */
    proceed() {
      halted = false;
    },
    close() {
      unsubscribe();
      closePublisher();
    },
  };
}
export type BulkJobs = ReturnType<typeof createBulkJobs>;
