import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { uuidPattern, type Link } from '../../contract/links.ts';
import { minutesToWait, refreshBodySchema } from '../../contract/operations.ts';
import type { Clock } from '../../contract/clock.ts';
import type { AppEnv } from '../app-env.ts';
import type { BelvoClient } from '../belvo/client.ts';
import { errorResponse, findRequestId } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { refreshCooldownMs, syncDeleteLimit, type OperationsStore } from '../store/operations.ts';
import { currentUser } from '../auth/middleware.ts';
import { outcomeOf, type AuditLog } from '../store/audit.ts';
import { forward } from './forward.ts';
import type { MfaSessions } from './link-mfa.ts';
import { fromResponse, toResponse, type InFlight, type Outcome } from './in-flight.ts';
import { linkIdError } from './validation.ts';

export interface LinkActionDeps {
  audit: AuditLog;
  belvo: BelvoClient;
  sessions: MfaSessions;
  operations: OperationsStore;
  events: EventBus;
  clock: Clock;
  inFlight: InFlight;
}

const deleteUnknownOutcome =
  'Belvo may or may not have deleted the link. Reload the list to see whether it is still there before trying again.';
const refreshUnknownOutcome =
  'Belvo may or may not have accepted the refresh. Wait a minute and check the link before trying again.';

/** The link as Belvo has it now (for the record of who changed what), or Belvo's refusal. */
async function lookUpLink(c: Context<AppEnv>, deps: LinkActionDeps, id: string): Promise<{ link: Link } | { outcome: Outcome }> {
  const response = await forward(c, deps.belvo, { method: 'GET', path: `/api/links/${id}/` });
  if (response.status !== 200) return { outcome: await fromResponse(response) };
  return { link: JSON.parse(await response.text()) as Link };
}

export function linkActionsRoutes(deps: LinkActionDeps) {
  const routes = new Hono<AppEnv>({ strict: true });
  const { operations, events, clock } = deps;

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
    const asynchronous = mode === 'async';
    const requestedBy = c.get('user')?.username ?? null;
    const finish = deps.audit.attempt('link.delete', currentUser(c), { link_id: id, detail: { mode: asynchronous ? 'async' : 'sync' } });

    const { outcome, shared } = await deps.inFlight.run(`DELETE ${id} ${asynchronous ? 'async' : 'sync'}`, async () => {
      if (asynchronous) {
        const pending = operations.pendingDelete(id);
        if (pending) {
          return { status: 202, body: JSON.stringify({ request_id: pending.request_id }), headers: { 'content-type': 'application/json', 'x-linkdesk-existing-request': '1' } };
        }
      } else {
        const deletedAt = operations.recentSyncDelete(id);
        if (deletedAt !== null) {
          return fromResponse(
            errorResponse(c, 404, [
              { code: 'not_found', message: `Linkdesk deleted this link at ${new Date(deletedAt).toISOString()}; it no longer exists.` },
            ]),
          );
        }
      }

      const found = await lookUpLink(c, deps, id);
      if ('outcome' in found) return found.outcome;
      const { link } = found;
      const withLink = (result: Outcome): Outcome => ({ ...result, externalId: link.external_id });

      let reservation: number | null = null;
      if (!asynchronous) {
        const slot = operations.reserveSyncDelete(id);
        if (!slot.ok) {
          const seconds = Math.max(1, Math.ceil((slot.retryAt - clock.now()) / 1000));
          const refusal = errorResponse(
            c,
            429,
            [
              {
                code: 'too_many_requests',
                message: `Belvo allows ${syncDeleteLimit} synchronous deletions a minute and they are used up; the next one frees in ${seconds} s. Asynchronous deletion has no such limit.`,
              },
            ],
            { 'retry-after': String(seconds) },
          );
          return withLink(await fromResponse(refusal));
        }
        reservation = slot.id;
      }

      const response = await forward(
        c,
        deps.belvo,
        { method: 'DELETE', path: `/api/links/${id}/`, headers: asynchronous ? { 'X-Belvo-Request-Mode': 'async' } : {} },
        { unknownOutcome: deleteUnknownOutcome },
      );
      const result = await fromResponse(response);

      if (reservation !== null) {
        if (result.status === 204) {
          operations.confirmSyncDelete(reservation);
          events.publish({ type: 'link-deleted', link_id: id });
        } else if (result.status === 429) {
          operations.releaseSyncDelete(reservation);
          const retryAfter = Number(result.headers['retry-after']);
          operations.blockSyncDeletes(clock.now() + (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 60_000));
          events.publish({ type: 'operations-changed' });
        } else if (result.status !== 502 && result.status !== 504) {
          // Belvo answered and did not delete: the slot was not used. After a timeout or a dropped
          // connection it may have been, so it stays taken.
          operations.releaseSyncDelete(reservation);
        }
      } else if (result.status === 202 && result.body) {
        const requestId = findRequestId(result.body);
        if (requestId) {
          operations.addOperation({
            request_id: requestId,
            kind: 'delete',
            link_id: id,
            external_id: link.external_id,
            institution: link.institution,
            resources: null,
            requested_at: clock.now(),
            requested_by: requestedBy,
          });
          events.publish({ type: 'operations-changed', link_id: id });
        }
      }
      return withLink(result);
    });
    finish(outcomeOf(outcome.status), {
      external_id: outcome.externalId ?? null,
      belvo_request_id: outcome.body ? findRequestId(outcome.body) : null,
      detail: { status: outcome.status, shared: shared || undefined },
    });
    return toResponse(outcome, shared ? { 'x-linkdesk-shared': '1' } : {});
  });

  routes.post(
    '/links/:id/refresh/',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => errorResponse(c as Context, 413, [{ code: 'payload_too_large', message: 'A refresh body is at most 16 KiB: send only {"fetch_resources": [...]}.' }]),
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
      const resources = parsed.data.fetch_resources ?? null;
      const requestedBy = c.get('user')?.username ?? null;
      const finish = deps.audit.attempt('link.refresh', currentUser(c), { link_id: id, detail: { resources: resources ?? 'all' } });

      const { outcome, shared } = await deps.inFlight.run(`REFRESH ${id} ${JSON.stringify(resources)}`, async () => {
        const cooldown = operations.cooldown(id);
        if (cooldown) {
          const minutes = Math.max(1, Math.ceil((cooldown.ends_at - clock.now()) / 60_000));
          return fromResponse(
            errorResponse(c, 409, [
              { code: 'link_refreshed', message: `The link has already been refreshed. Please wait ${minutes} minutes before trying again.` },
            ]),
          );
        }
        const found = await lookUpLink(c, deps, id);
        if ('outcome' in found) return found.outcome;
        const externalId = found.link.external_id;
        const response = await forward(
          c,
          deps.belvo,
          { method: 'POST', path: `/api/links/${id}/refresh/`, json: resources ? { fetch_resources: resources } : {} },
          { unknownOutcome: refreshUnknownOutcome },
        );
        const result = await fromResponse(response);
        if (result.status === 202 && result.body) {
          const requestId = findRequestId(result.body);
          operations.setCooldown(id, clock.now() + refreshCooldownMs, 'linkdesk');
          if (requestId) {
            operations.addOperation({
              request_id: requestId,
              kind: 'refresh',
              link_id: id,
              external_id: found.link.external_id,
              institution: found.link.institution,
              resources,
              requested_at: clock.now(),
              requested_by: requestedBy,
            });
          }
          events.publish({ type: 'operations-changed', link_id: id });
        } else if (result.status === 428) {
          deps.sessions.remember(result.body, { purpose: 'refresh', resources, linkId: id });
          events.publish({ type: 'link-changed', link_id: id, status: 'token_required' });
        } else if (result.status === 409 && result.body) {
          // Someone refreshed outside Linkdesk: learn the cooldown from "Please wait X minutes".
          const message = (JSON.parse(result.body) as { message?: string }[])[0]?.message ?? '';
          const minutes = minutesToWait(message) ?? 10;
          operations.setCooldown(id, clock.now() + minutes * 60_000, 'belvo');
          events.publish({ type: 'operations-changed', link_id: id });
        }
        return { ...result, externalId };
      });
      finish(outcomeOf(outcome.status), {
        external_id: outcome.externalId ?? null,
        belvo_request_id: outcome.body ? findRequestId(outcome.body) : null,
        detail: { status: outcome.status, shared: shared || undefined },
      });
      return toResponse(outcome, shared ? { 'x-linkdesk-shared': '1' } : {});
    },
  );

  return routes;
}
