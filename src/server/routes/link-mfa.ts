import { Hono } from 'hono';
import type { Clock } from '../../contract/clock.ts';
import { registerLinkBodySchema, resumeLinkBodySchema, tokenRequiredErrorSchema } from '../../contract/mfa.ts';
import type { AppEnv } from '../app-env.ts';
import type { BelvoClient } from '../belvo/client.ts';
import { errorResponse, findRequestId } from '../errors.ts';
import { linkFromBody, type EventBus } from '../events.ts';
import { refreshCooldownMs, type OperationsStore } from '../store/operations.ts';
import { currentUser } from '../auth/middleware.ts';
import { outcomeOf, type AuditLog } from '../store/audit.ts';
import { forward } from './forward.ts';
import { fromResponse, toResponse, type InFlight } from './in-flight.ts';
import { readJsonBody } from './json-body.ts';

/** What a 428 was about, so that a successful resume can be recorded (a refresh's cooldown starts then). */
export interface MfaSessionContext {
  linkId: string;
  purpose: 'refresh' | 'register' | 'other';
  resources: string[] | null;
  expiresAt: number;
}

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

export function createMfaSessions(clock: Clock) {
  const sessions = new Map<string, MfaSessionContext>();
  return {
    remember(responseBody: string | null, context: Omit<MfaSessionContext, 'expiresAt' | 'linkId'> & { linkId?: string }) {
      if (!responseBody) return;
      try {
        const [item] = JSON.parse(responseBody) as unknown[];
        const challenge = tokenRequiredErrorSchema.safeParse(item);
        if (!challenge.success) return;
        const seconds = Number(challenge.data.expiry);
        for (const [session, remembered] of sessions) if (remembered.expiresAt < clock.now()) sessions.delete(session);
        sessions.set(challenge.data.session, {
          ...context,
          linkId: context.linkId ?? challenge.data.link,
          expiresAt: clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15 * 60_000),
        });
      } catch {
        // Not a 428 body we can read: nothing to remember.
      }
    },
    take(session: string) {
      const context = sessions.get(session);
      sessions.delete(session);
      return context ?? null;
    },
    peek: (session: string) => sessions.get(session) ?? null,
  };
}
export type MfaSessions = ReturnType<typeof createMfaSessions>;

/**
 * `POST /api/links/` (register; the access guard keeps it to the simulator and the sandbox) and
 * `PATCH /api/links/` (resume after a 428). Bodies are validated and never logged; 428 answers
 * pass through whole.
 */
export function linkMfaRoutes(deps: {
  audit: AuditLog;
  belvo: BelvoClient;
  clock: Clock;
  operations: OperationsStore;
  events: EventBus;
  sessions: MfaSessions;
  inFlight: InFlight;
}) {
  const routes = new Hono<AppEnv>({ strict: true });

  // Registration against production never gets here: the access guard refuses links:register there.
  routes.post('/links/', async (c) => {
    const body = await readJsonBody(c, registerLinkBodySchema);
    if (!body.ok) return body.response;
    if ((body.value.certificate === undefined) !== (body.value.private_key === undefined)) {
      return errorResponse(c, 400, [{ field: body.value.certificate ? 'private_key' : 'certificate', code: 'required', message: 'certificate and private_key go together: send both or neither.' }]);
    }
    const finish = deps.audit.attempt('link.register', currentUser(c), {
      external_id: body.value.external_id ?? null,
      detail: { institution: body.value.institution, access_mode: body.value.access_mode ?? 'recurrent' },
    });
    const response = await forward(
      c,
      deps.belvo,
      { method: 'POST', path: '/api/links/', json: body.value },
      { unknownOutcome: 'Belvo may have created the link; look for it in the list (by external_id) before registering again.' },
    );
    const outcome = await fromResponse(response);
    if (outcome.status === 428) deps.sessions.remember(outcome.body, { purpose: 'register', resources: null });
    if (outcome.status === 201 || outcome.status === 428) {
      deps.events.publish({ type: 'link-changed', link_id: linkIdIn(outcome.body) ?? undefined, link: outcome.status === 201 ? linkFromBody(outcome.body) : undefined });
    }
    finish(outcomeOf(outcome.status), { link_id: linkIdIn(outcome.body), belvo_request_id: outcome.body ? findRequestId(outcome.body) : null, detail: { status: outcome.status } });
    return toResponse(outcome);
  });

  routes.patch('/links/', async (c) => {
    const body = await readJsonBody(c, resumeLinkBodySchema);
    if (!body.ok) return body.response;
    const { session, link } = body.value;
    const finish = deps.audit.attempt('link.mfa_resume', currentUser(c), { link_id: link, detail: { purpose: deps.sessions.peek(session)?.purpose ?? 'unknown' } });
    const { outcome, shared } = await deps.inFlight.run(`PATCH ${session} ${body.value.token ?? ''}`, async () => {
      const context = deps.sessions.peek(session);
      const response = await forward(c, deps.belvo, { method: 'PATCH', path: '/api/links/', json: body.value });
      const result = await fromResponse(response);
      if (result.status === 428) {
        // A chained challenge or a fresh code for a late token: same purpose, new session.
        deps.sessions.remember(result.body, { purpose: context?.purpose ?? 'other', resources: context?.resources ?? null, linkId: link });
      } else if (result.status === 200 || result.status === 201) {
        deps.sessions.take(session);
        if (context?.purpose === 'refresh') {
          // Belvo accepts the paused refresh on resume; its 10-minute cooldown starts now.
          deps.operations.setCooldown(link, deps.clock.now() + refreshCooldownMs, 'linkdesk');
        }
        deps.events.publish({ type: 'link-changed', link_id: link, link: linkFromBody(result.body) });
        deps.events.publish({ type: 'operations-changed', link_id: link });
      }
      return result;
    });
    finish(outcomeOf(outcome.status), {
      external_id: externalIdIn(outcome.body),
      belvo_request_id: outcome.body ? findRequestId(outcome.body) : null,
      detail: { status: outcome.status, shared: shared || undefined },
    });
    return toResponse(outcome, shared ? { 'x-linkdesk-shared': '1' } : {});
  });

  return routes;
}
