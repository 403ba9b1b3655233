import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { createSystemClock } from '../contract/clock.ts';
import type { Link } from '../contract/links.ts';
import { errorBody, messages, newRequestId, type SimErrorItem } from './errors.ts';
import { createFaults } from './faults.ts';
import { newSessionId, tokenRequiredBody, type MfaSession, type Scenario } from './mfa.ts';
import { createRecurrentUpdates } from './recurrent-updates.ts';
import { createScheduler } from './scheduler.ts';
import { defaultLinkCount, seedLinks } from './seed-links.ts';
import { createAuthenticator, defaultSimCredentials, defaultTimings, type BelvoSimOptions, type RecordedRequest, type SimClock, type SimTimings } from './sim-options.ts';
import { createWebhookSender, newWebhookId, type WebhookTarget } from './webhooks.ts';
import type { WidgetToken } from './widget-tokens.ts';

export type JsonObject = Record<string, unknown>;

export function institutionUserIdFor(institution: string, username: string): string {
  return `${createHash('sha256').update(`${institution}\u0000${username}`).digest('base64url')}=`;
}

export function isoMicros(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}

export function fail(c: Context, status: number, items: SimErrorItem[], headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(errorBody(items), status as 400);
}

export const notFound = (c: Context) => fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);

export async function readJson(c: Context): Promise<{ ok: true; body: JsonObject } | { ok: false; response: Response }> {
  const text = await c.req.text();
  if (text.trim() === '') return { ok: true, body: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false, response: fail(c, 400, [{ code: 'invalid', message: 'Invalid data. Expected a dictionary, but got list.' }]) };
    }
    return { ok: true, body: parsed as JsonObject };
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    return { ok: false, response: fail(c, 400, [{ code: 'parse_error', message: `JSON parse error - ${detail}` }]) };
  }
}

/** Everything the simulator remembers, and the operations on it that several routes share. */
export function createSimState(options: BelvoSimOptions) {
  const clock: SimClock = options.clock ?? createSystemClock();
  const credentials = options.credentials ?? defaultSimCredentials;
  const timings: SimTimings = { ...defaultTimings, ...options.timings };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const scheduler = createScheduler(clock);
  if (options.ticker ?? options.clock === undefined) scheduler.startTicker();

  const state = {
    clock,
    credentials,
    mode: options.mode ?? 'sandbox',
    timings,
    options,
    seed: options.seed ?? 1,
    webhookTarget: (options.webhook ?? null) as WebhookTarget | null,
    isAuthenticated: createAuthenticator(credentials),
    scheduler,
    faults: createFaults(),
    links: [] as Link[],
    byId: new Map<string, Link>(),
    syncDeletes: [] as number[],
    lastRefreshAt: new Map<string, number>(),
    pendingDeletes: new Map<string, string>(),
    sessions: new Map<string, MfaSession>(),
    widgetTokens: new Map<string, WidgetToken>(),
    requests: [] as RecordedRequest[],
  };
  const webhooks = createWebhookSender({ clock, scheduler, fetch: (...args) => fetchImpl(...args), target: () => state.webhookTarget });
  const recurrentUpdates = createRecurrentUpdates({
    clock,
    scheduler,
    send: (payload) => webhooks.send(payload),
    links: () => state.links,
    seed: () => state.seed,
    failuresPerDay: options.recurrentFailuresPerDay ?? 0,
  });

  const load = (nextSeed: number) => {
    state.seed = nextSeed;
    state.links = seedLinks({ seed: nextSeed, now: clock.now(), count: options.linkCount ?? defaultLinkCount });
    state.byId.clear();
    for (const link of state.links) state.byId.set(link.id, link);
    state.syncDeletes = [];
    state.lastRefreshAt.clear();
    state.pendingDeletes.clear();
    state.sessions.clear();
    state.widgetTokens.clear();
    scheduler.clear();
    state.faults.clear();
    recurrentUpdates.arm();
  };
  load(state.seed);

  const addLink = (link: Link) => {
    state.links.unshift(link);
    state.byId.set(link.id, link);
  };

  const removeLink = (id: string) => {
    const link = state.byId.get(id);
    if (!link) return null;
    state.byId.delete(id);
    state.links = state.links.filter((candidate) => candidate.id !== id);
    state.lastRefreshAt.delete(id);
    return link;
  };

  const sendHistoricalUpdates = (link: Link, requestId: string, resources: readonly string[]) => {
    scheduler.at(clock.now() + timings.historicalUpdateMs, () => {
      const current = state.byId.get(link.id);
      if (!current) return;
      current.last_accessed_at = isoMicros(clock.now());
      for (const resource of resources) {
        webhooks.send({
          webhook_id: newWebhookId(),
          webhook_type: resource,
          webhook_code: 'historical_update',
          process_type: 'historical_update',
          link_id: current.id,
          request_id: requestId,
          external_id: current.external_id,
          data: historicalUpdateData(resource),
        });
      }
    });
  };

  const acceptRefresh = (link: Link, resources: readonly string[], requestId = newRequestId()) => {
    state.lastRefreshAt.set(link.id, clock.now());
    sendHistoricalUpdates(link, requestId, resources);
    return requestId;
  };

  /** A link made valid again by new credentials or a token: Belvo tells the client with a LINK webhook. */
  const markValid = (link: Link, { notify = true } = {}) => {
    const wasBroken = notify && (link.status === 'invalid' || link.status === 'token_required');
    link.status = 'valid';
    link.last_accessed_at = isoMicros(clock.now());
    if (wasBroken) {
      webhooks.send({
        webhook_id: newWebhookId(),
        webhook_type: 'LINK',
        webhook_code: 'link_valid',
        process_type: 'link_valid',
        link_id: link.id,
        request_id: newRequestId(),
        external_id: link.external_id,
        data: { status: 'valid' },
      });
    }
  };

  const openSession = async (linkId: string, scenario: Scenario, purpose: MfaSession['purpose'], step = 0) => {
    const session: MfaSession = {
      session: newSessionId(),
      linkId,
      scenario,
      step,
      expiresAt: clock.now() + scenario.expirySeconds * 1000,
      challengeIssuedAt: clock.now(),
      challengeValue: null,
      purpose,
    };
    const spec = scenario.steps[step];
    session.challengeValue = spec ? await spec.makeValue(session.session) : null;
    state.sessions.set(session.session, session);
    return session;
  };

  const tokenRequired = (c: Context, session: MfaSession) => c.json(tokenRequiredBody(session, newRequestId(), messages.token_required), 428);

  return {
    state,
    webhooks,
    recurrentUpdates,
    load,
    addLink,
    removeLink,
    sendHistoricalUpdates,
    acceptRefresh,
    markValid,
    openSession,
    tokenRequired,
  };
}

export type SimState = ReturnType<typeof createSimState>;

function historicalUpdateData(resource: string): Record<string, unknown> {
  switch (resource) {
    case 'ACCOUNTS':
      return { total_accounts: 5 };
    case 'TRANSACTIONS':
      return {
        total_transactions: 19,
        total_inflow_transactions: 10,
        total_outflow_transactions: 9,
        first_transaction_date: '2017-01-03',
        last_transaction_date: '2020-03-25',
      };
    default:
      return { [`total_${resource.toLowerCase()}`]: 1 };
  }
}
