import type { Clock } from '../../contract/clock.ts';
import type { AccessMode, Link } from '../../contract/links.ts';
import type { RegisterLinkBody, ResumeLinkBody } from '../../contract/mfa.ts';
import { defaultWidgetLocale, reconnectableStatuses, widgetTokenLifetimeMs, type ReconnectLink, type WidgetLocale } from '../../contract/bff/reconnect.ts';
import { minutesToWait } from '../../contract/operations.ts';
import type { BelvoClient } from '../belvo/client.ts';
import type { BelvoPriority } from '../belvo/rate-limiter.ts';
import { errorOutcome, findRequestId, firstError, type Outcome } from '../errors.ts';
import { linkFromBody, type EventBus } from '../events.ts';
import { outcomeOf, type AuditActor, type AuditLog } from '../store/audit.ts';
import { refreshCooldownMs, syncDeleteLimit, type OperationsStore } from '../store/operations.ts';
import { forward } from './forward.ts';
import type { InFlight } from './in-flight.ts';
import type { MfaSessions } from './mfa-sessions.ts';

export interface LinkOperationsDeps {
  belvo: BelvoClient;
  operations: OperationsStore;
  events: EventBus;
  clock: Clock;
  audit: AuditLog;
  inFlight: InFlight;
  mfaSessions: MfaSessions;
}

/**
 * What a bulk job (services/bulk-jobs.ts) adds to a single delete or refresh: background priority
 * at the shared rate limiter, the link as the index knows it (so a job does not spend a GET per
 * link before each change), and the job's id for the audit record.
 */
export interface JobContext {
  jobId: string;
  priority: BelvoPriority;
  /** The link's external_id and institution from the index; null to look the link up at Belvo first. */
  knownLink: { external_id: string | null; institution: string } | null;
  /** Asked when the rate limiter grants the change its slot; false: nothing is sent (the job was paused or cancelled meanwhile). */
  stillWanted?: () => boolean | Promise<boolean>;
}

/** What a link operation came to; `shared` when an identical request in flight answered it. */
export interface LinkOperationResult {
  outcome: Outcome;
  shared: boolean;
}

const deleteUnknownOutcome =
  'Belvo may or may not have deleted the link. Reload the list to see whether it is still there before trying again.';
const refreshUnknownOutcome =
  'Belvo may or may not have accepted the refresh. Wait a minute and check the link before trying again.';
const accessModeUnknownOutcome = 'Belvo may or may not have changed the access mode. Reload the link to see its mode before trying again.';
const registerUnknownOutcome = 'Belvo may have created the link; look for it in the list (by external_id) before registering again.';

/** The link id in a 201 (a link) or a 428 (its `link`), for the record. */
function linkIdIn(body: string | null): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { id?: unknown } | { link?: unknown }[];
    const value = Array.isArray(parsed) ? parsed[0]?.link : parsed.id;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function externalIdIn(body: string | null): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body) as { external_id?: unknown };
    return !Array.isArray(parsed) && typeof parsed.external_id === 'string' ? parsed.external_id : null;
  } catch {
    return null;
  }
}

const belvoRequestIdIn = (outcome: Outcome) => (outcome.body ? (findRequestId(outcome.body) ?? null) : null);

/**
 * The rules of changing a link at Belvo, apart from HTTP: the shared sync-delete budget (reserved
 * before Belvo is asked, released when it was not used), refresh cooldowns (ours, and Belvo's
 * learned from its 409), identical requests sent once, MFA sessions, the audit record and the
 * events every dashboard listens to. Inputs are validated values; routes, the CLI and background
 * work call the same functions. Nothing here retries a delete or a refresh.
 */
export function createLinkOperations(deps: LinkOperationsDeps) {
  const { operations, events, clock, audit, inFlight, mfaSessions } = deps;

  /** The audit attempt as a Promise; a rejection surfaces where it is awaited, never as unhandled. */
  const recordAttempt = (...args: Parameters<typeof audit.attempt>) => {
    const attempted = audit.attempt(...args);
    attempted.catch(() => {});
    return attempted;
  };

  /** The link as Belvo has it now (for the record of who changed what), or Belvo's refusal. */
  async function lookUpLink(id: string, priority: BelvoPriority = 'interactive'): Promise<{ link: Link } | { outcome: Outcome }> {
    const outcome = await forward(deps.belvo, { method: 'GET', path: `/api/links/${id}/`, priority });
    if (outcome.status !== 200 || outcome.body === null) return { outcome };
    return { link: JSON.parse(outcome.body) as Link };
  }

  /** The link or `gone` (404), or null when Belvo did not say (an error, a timeout): for finding out what became of a job's item. */
  async function findLink(id: string, priority: BelvoPriority): Promise<Link | 'gone' | null> {
    const found = await lookUpLink(id, priority);
    if ('link' in found) return found.link;
    return found.outcome.status === 404 && found.outcome.belvoRequestId !== undefined ? 'gone' : null;
  }

  async function deleteLink(input: { linkId: string; mode: 'sync' | 'async'; actor: AuditActor; job?: JobContext }): Promise<LinkOperationResult> {
    const { linkId: id, mode, actor, job } = input;
    const priority = job?.priority ?? 'interactive';
    // Recorded before Belvo is asked, yet joined by identical requests from the moment it starts.
    const attempted = recordAttempt('link.delete', actor, { link_id: id, detail: { mode, job_id: job?.jobId } });

    const { outcome, shared } = await inFlight.run(`DELETE ${id} ${mode}`, async () => {
      await attempted;
      if (mode === 'async') {
        const pending = await operations.pendingDelete(id);
        if (pending) {
          return { status: 202, body: JSON.stringify({ request_id: pending.request_id }), headers: { 'content-type': 'application/json', 'x-linkdesk-existing-request': '1' } };
        }
      } else {
        const deletedAt = await operations.recentSyncDelete(id);
        if (deletedAt !== null) {
          return errorOutcome(404, [{ code: 'not_found', message: `Linkdesk deleted this link at ${new Date(deletedAt).toISOString()}; it no longer exists.` }]);
        }
      }

      const found = job?.knownLink ? { link: { id, ...job.knownLink } } : await lookUpLink(id, priority);
      if ('outcome' in found) return found.outcome;
      const { link } = found;
      const withLink = (result: Outcome): Outcome => ({ ...result, externalId: link.external_id });

      let reservation: number | null = null;
      if (mode === 'sync') {
        const slot = await operations.reserveSyncDelete(id);
        if (!slot.ok) {
          const seconds = Math.max(1, Math.ceil((slot.retryAt - clock.now()) / 1000));
          return withLink(
            errorOutcome(
              429,
              [
                {
                  code: 'too_many_requests',
                  message: `Belvo allows ${syncDeleteLimit} synchronous deletions a minute and they are used up; the next one frees in ${seconds} s. Asynchronous deletion has no such limit.`,
                },
              ],
              { 'retry-after': String(seconds) },
            ),
          );
        }
        reservation = slot.id;
      }

      const result = await forward(
        deps.belvo,
        { method: 'DELETE', path: `/api/links/${id}/`, headers: mode === 'async' ? { 'X-Belvo-Request-Mode': 'async' } : {}, priority, stillWanted: job?.stillWanted },
        { unknownOutcome: deleteUnknownOutcome },
      );

      if (reservation !== null) {
        if (result.status === 204) {
          await operations.confirmSyncDelete(reservation);
          events.publish({ type: 'link-deleted', link_id: id });
        } else if (result.status === 429) {
          await operations.releaseSyncDelete(reservation);
          const retryAfter = Number(result.headers['retry-after']);
          await operations.blockSyncDeletes(clock.now() + (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000));
          events.publish({ type: 'operations-changed' });
        } else if (result.status !== 502 && result.status !== 504) {
          // Belvo answered and did not delete: the slot was not used. After a timeout or a dropped
          // connection it may have been, so it stays taken.
          await operations.releaseSyncDelete(reservation);
        }
      } else if (result.status === 202 && result.body) {
        const requestId = findRequestId(result.body);
        if (requestId) {
          await operations.addOperation({
            request_id: requestId,
            kind: 'delete',
            link_id: id,
            external_id: link.external_id,
            institution: link.institution,
            resources: null,
            requested_at: clock.now(),
            requested_by: actor.actor,
          });
          events.publish({ type: 'operations-changed', link_id: id });
        }
      }
      return withLink(result);
    });
    await (await attempted)(outcome.notSent ? 'not_done' : outcomeOf(outcome.status), {
      external_id: outcome.externalId ?? null,
      belvo_request_id: belvoRequestIdIn(outcome),
      detail: { status: outcome.status, shared: shared || undefined },
    });
    return { outcome, shared };
  }

  async function refreshLink(input: { linkId: string; resources: string[] | null; actor: AuditActor; job?: JobContext }): Promise<LinkOperationResult> {
    const { linkId: id, resources, actor, job } = input;
    const priority = job?.priority ?? 'interactive';
    // Recorded before Belvo is asked, yet joined by identical requests from the moment it starts.
    const attempted = recordAttempt('link.refresh', actor, { link_id: id, detail: { resources: resources ?? 'all', job_id: job?.jobId } });

    const { outcome, shared } = await inFlight.run(`REFRESH ${id} ${JSON.stringify(resources)}`, async () => {
      await attempted;
      const cooldown = await operations.cooldown(id);
      if (cooldown) {
        const minutes = Math.max(1, Math.ceil((cooldown.ends_at - clock.now()) / 60_000));
        return errorOutcome(409, [{ code: 'link_refreshed', message: `The link has already been refreshed. Please wait ${minutes} minutes before trying again.` }]);
      }
      const found = job?.knownLink ? { link: { id, ...job.knownLink } } : await lookUpLink(id, priority);
      if ('outcome' in found) return found.outcome;
      const result = await forward(
        deps.belvo,
        { method: 'POST', path: `/api/links/${id}/refresh/`, json: resources ? { fetch_resources: resources } : {}, priority, stillWanted: job?.stillWanted },
        { unknownOutcome: refreshUnknownOutcome },
      );
      if (result.status === 202 && result.body) {
        const requestId = findRequestId(result.body);
        await operations.setCooldown(id, clock.now() + refreshCooldownMs, 'linkdesk');
        if (requestId) {
          await operations.addOperation({
            request_id: requestId,
            kind: 'refresh',
            link_id: id,
            external_id: found.link.external_id,
            institution: found.link.institution,
            resources,
            requested_at: clock.now(),
            requested_by: actor.actor,
          });
        }
        events.publish({ type: 'operations-changed', link_id: id });
      } else if (result.status === 428) {
        await mfaSessions.remember(result.body, { purpose: 'refresh', resources, linkId: id });
        events.publish({ type: 'link-changed', link_id: id, status: 'token_required' });
      } else if (result.status === 409 && result.body) {
        // Someone refreshed outside Linkdesk: learn the cooldown from "Please wait X minutes".
        const message = firstError(result.body).message ?? '';
        const minutes = minutesToWait(message) ?? 10;
        await operations.setCooldown(id, clock.now() + minutes * 60_000, 'belvo');
        events.publish({ type: 'operations-changed', link_id: id });
      }
      return { ...result, externalId: found.link.external_id };
    });
    await (await attempted)(outcome.notSent ? 'not_done' : outcomeOf(outcome.status), {
      external_id: outcome.externalId ?? null,
      belvo_request_id: belvoRequestIdIn(outcome),
      detail: { status: outcome.status, shared: shared || undefined },
    });
    return { outcome, shared };
  }

  /** Registers a link (the access guard keeps this to the simulator and the sandbox). */
  async function registerLink(input: { body: RegisterLinkBody; actor: AuditActor }): Promise<LinkOperationResult> {
    const { body, actor } = input;
    const finish = await audit.attempt('link.register', actor, {
      external_id: body.external_id ?? null,
      detail: { institution: body.institution, access_mode: body.access_mode ?? 'recurrent' },
    });
    const outcome = await forward(deps.belvo, { method: 'POST', path: '/api/links/', json: body }, { unknownOutcome: registerUnknownOutcome });
    if (outcome.status === 428) await mfaSessions.remember(outcome.body, { purpose: 'register', resources: null });
    if (outcome.status === 201 || outcome.status === 428) {
      events.publish({ type: 'link-changed', link_id: linkIdIn(outcome.body) ?? undefined, link: outcome.status === 201 ? linkFromBody(outcome.body) : undefined });
    }
    await finish(outcomeOf(outcome.status), { link_id: linkIdIn(outcome.body), belvo_request_id: belvoRequestIdIn(outcome), detail: { status: outcome.status } });
    return { outcome, shared: false };
  }

  /** Resumes a session a 428 paused; a paused refresh's cooldown starts when Belvo accepts it. */
  async function resumeLink(input: { body: ResumeLinkBody; actor: AuditActor }): Promise<LinkOperationResult> {
    const { body, actor } = input;
    const { session, link } = body;
    // Recorded before Belvo is asked, yet joined by identical requests from the moment it starts.
    const paused = await mfaSessions.peek(session);
    const attempted = recordAttempt('link.mfa_resume', actor, { link_id: link, detail: { purpose: paused?.purpose ?? 'unknown' } });
    const { outcome, shared } = await inFlight.run(`PATCH ${session} ${body.token ?? ''}`, async () => {
      await attempted;
      const context = await mfaSessions.peek(session);
      const result = await forward(deps.belvo, { method: 'PATCH', path: '/api/links/', json: body });
      if (result.status === 428) {
        // A chained challenge or a fresh code for a late token: same purpose, new session.
        await mfaSessions.remember(result.body, { purpose: context?.purpose ?? 'other', resources: context?.resources ?? null, linkId: link });
      } else if (result.status === 200 || result.status === 201) {
        await mfaSessions.take(session);
        if (context?.purpose === 'refresh') {
          // Belvo accepts the paused refresh on resume; its 10-minute cooldown starts now.
          await operations.setCooldown(link, clock.now() + refreshCooldownMs, 'linkdesk');
        }
        events.publish({ type: 'link-changed', link_id: link, link: linkFromBody(result.body) });
        events.publish({ type: 'operations-changed', link_id: link });
      }
      return result;
    });
    await (await attempted)(outcomeOf(outcome.status), {
      external_id: externalIdIn(outcome.body),
      belvo_request_id: belvoRequestIdIn(outcome),
      detail: { status: outcome.status, shared: shared || undefined },
    });
    return { outcome, shared };
  }

  /** `PATCH /api/links/{id}/` with only `access_mode`: a support action, recorded with the mode before and after. */
  async function changeAccessMode(input: { linkId: string; accessMode: AccessMode; actor: AuditActor }): Promise<LinkOperationResult> {
    const { linkId: id, accessMode, actor } = input;
    // Recorded before Belvo is asked, yet joined by identical requests from the moment it starts.
    const attempted = recordAttempt('link.access_mode', actor, { link_id: id, detail: { access_mode: accessMode } });
    let previous: string | null = null;
    const { outcome, shared } = await inFlight.run(`ACCESS_MODE ${id} ${accessMode}`, async () => {
      await attempted;
      const found = await lookUpLink(id);
      if ('outcome' in found) return found.outcome;
      previous = found.link.access_mode;
      const result = await forward(deps.belvo, { method: 'PATCH', path: `/api/links/${id}/`, json: { access_mode: accessMode } }, { unknownOutcome: accessModeUnknownOutcome });
      if (result.status === 200) events.publish({ type: 'link-changed', link_id: id, link: linkFromBody(result.body) });
      return { ...result, externalId: found.link.external_id };
    });
    await (await attempted)(outcomeOf(outcome.status), {
      external_id: outcome.externalId ?? null,
      belvo_request_id: belvoRequestIdIn(outcome),
      detail: { status: outcome.status, from: previous ?? undefined, shared: shared || undefined },
    });
    return { outcome, shared };
  }

  /**
   * A hosted-widget URL in update mode for a broken link: Belvo's widget access token (`POST
   * /api/token/` with `link_id`, belvo-api.md §7) put into `widgetBase`. The token goes into the
   * answer only: it is never stored, logged or audited; the audit records who made one for which link.
   */
  async function makeReconnectLink(input: {
    linkId: string;
    locale: WidgetLocale | undefined;
    widgetBase: string;
    actor: AuditActor;
  }): Promise<{ outcome: Outcome; reconnect: ReconnectLink | null }> {
    const { linkId: id, actor } = input;
    const finish = await audit.attempt('link.reconnect', actor, { link_id: id });
    let reconnect: ReconnectLink | null = null;
    let externalId: string | null = null;
    const outcome = await (async (): Promise<Outcome> => {
      const found = await lookUpLink(id);
      if ('outcome' in found) return found.outcome;
      externalId = found.link.external_id;
      if (!(reconnectableStatuses as readonly string[]).includes(found.link.status)) {
        return errorOutcome(409, [
          { code: 'link_not_broken', message: `This link is ${found.link.status}; only invalid and token_required links need reconnecting.` },
        ]);
      }
      const requestedAt = clock.now();
      const result = await forward(deps.belvo, {
        method: 'POST',
        path: '/api/token/',
        json: { link_id: id, scopes: 'read_institutions,write_links,read_links' },
      });
      if ((result.status === 200 || result.status === 201) && result.body) {
        const access = (JSON.parse(result.body) as { access?: unknown }).access;
        if (typeof access !== 'string' || access === '') return errorOutcome(502, [{ code: 'bad_gateway', message: 'Belvo answered without an access token. Try again.' }]);
        const locale = input.locale ?? defaultWidgetLocale(found.link.institution);
        const url = new URL(input.widgetBase);
        url.searchParams.set('access_token', access);
        url.searchParams.set('locale', locale);
        reconnect = { link_id: id, url: url.href, locale, expires_at: requestedAt + widgetTokenLifetimeMs };
        // The body carried the token: nothing downstream gets it.
        return { ...result, body: null };
      }
      return result;
    })();
    await finish(outcomeOf(outcome.status), {
      external_id: externalId,
      belvo_request_id: belvoRequestIdIn(outcome),
      detail: { status: outcome.status, locale: (reconnect as ReconnectLink | null)?.locale },
    });
    return { outcome, reconnect };
  }

  return { deleteLink, refreshLink, findLink, registerLink, resumeLink, changeAccessMode, makeReconnectLink };
}
export type LinkOperations = ReturnType<typeof createLinkOperations>;
