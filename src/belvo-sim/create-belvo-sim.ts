import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { createSystemClock, type Clock } from '../contract/clock.ts';
import { institutionPattern, uuidText, type Link } from '../contract/links.ts';
import { errorBody, messages, newRequestId, type SimErrorItem } from './errors.ts';
import { createFaults, faultKinds, routeKey, simRoutes, type FaultKind } from './faults.ts';
import { findInstitution, simInstitutions } from './institutions.ts';
import { listLinks } from './list-links.ts';
import {
  findScenario,
  newSessionId,
  reauthenticationScenario,
  scenarioPassword,
  scenarios,
  tokenRequiredBody,
  type MfaSession,
  type Scenario,
} from './mfa.ts';
import { createRecurrentUpdates } from './recurrent-updates.ts';
import { createScheduler } from './scheduler.ts';
import { defaultLinkCount, seedLinks } from './seed-links.ts';
import { createWebhookSender, newWebhookId, type WebhookTarget } from './webhooks.ts';

export interface SimClock extends Clock {
  advance(ms: number): void;
}

export interface BelvoSimOptions {
  seed?: number;
  linkCount?: number;
  clock?: SimClock;
  credentials?: { secretId: string; secretPassword: string };
  /** Control endpoints (`/_sim/…`) exist only in sandbox mode. */
  mode?: 'sandbox' | 'production';
  webhook?: WebhookTarget | null;
  /** Used to deliver webhooks; in-process tests pass the proxy's own `fetch`. */
  fetch?: typeof fetch;
  timings?: Partial<SimTimings>;
  /** Run due work on a wall-clock ticker (default: on unless a clock is injected). */
  ticker?: boolean;
  /** Wall-clock delay of every `GET /api/links/` answer, like Belvo's page latency (0: none). */
  pageLatencyMs?: number;
  /** Failed recurrent updates per simulated day (LINK webhooks); default 0 = none. */
  recurrentFailuresPerDay?: number;
}

export interface SimTimings {
  asyncDeleteMs: number;
  historicalUpdateMs: number;
  syncDeleteLimit: number;
  syncDeleteWindowMs: number;
  refreshCooldownMs: number;
}

/** What `npm start` and `npm run belvo-sim` use, so LINK webhooks happen in a demo: about one a hour. */
export const defaultRecurrentFailuresPerDay = 24;

export const defaultSimCredentials = { secretId: 'linkdesk-sim-id', secretPassword: 'linkdesk-sim-password' } as const;
/** The Authorization header a Belvo client sends with the default keys (HTTP Basic, as Belvo takes them). */
export const defaultSimAuthorization = `Basic ${Buffer.from(`${defaultSimCredentials.secretId}:${defaultSimCredentials.secretPassword}`).toString('base64')}`;

const defaultTimings: SimTimings = {
  asyncDeleteMs: 3_000,
  historicalUpdateMs: 2_000,
  syncDeleteLimit: 5,
  syncDeleteWindowMs: 60_000,
  refreshCooldownMs: 10 * 60_000,
};

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  query: string;
  route: string;
  headers: Record<string, string>;
  authenticated: boolean;
  body: string | null;
}

/** Marks a response the HTTP adapter must answer by dropping the connection. */
export const dropMarker = 'x-belvo-sim-drop';

/** Bank passwords, MFA tokens and certificate keys in a logged body, masked as the playground's trace masks them. */
const secretField = /pass|token|private_key|certificate|secret/i;
const mask = (value: string) => '•'.repeat(Math.min(value.length, 12));

export function maskSecrets(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: nothing can be told apart, so nothing of it is kept but its size.
    return body === '' ? '' : `(${body.length} characters, not JSON)`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const masked = Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).map(([key, value]) => [key, secretField.test(key) && typeof value === 'string' ? mask(value) : value]),
  );
  return JSON.stringify(masked);
}

/** Belvo's own rule (seed 003): no maximum length is documented, so the simulator sets none. */
const belvoExternalIdPattern = /^[A-Za-z0-9_-]{3,}$/;

const uuidOnly = new RegExp(`^${uuidText}$`);

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function institutionUserIdFor(institution: string, username: string): string {
  return `${createHash('sha256').update(`${institution}\u0000${username}`).digest('base64url')}=`;
}

function isoMicros(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}

type JsonObject = Record<string, unknown>;

export function createBelvoSim(options: BelvoSimOptions = {}) {
  const clock: SimClock = options.clock ?? createSystemClock();
  const credentials = options.credentials ?? defaultSimCredentials;
  const mode = options.mode ?? 'sandbox';
  const timings: SimTimings = { ...defaultTimings, ...options.timings };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let seed = options.seed ?? 1;
  let webhookTarget: WebhookTarget | null = options.webhook ?? null;

  // Remember the header that last authenticated, so the hot path skips two hashes per request.
  let lastGoodAuthorization: string | null = null;
  const isAuthenticated = (authorization: string | null | undefined): boolean => {
    if (!authorization?.startsWith('Basic ')) return false;
    if (authorization === lastGoodAuthorization) return true;
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const ok =
      colon > 0 &&
      sameSecret(decoded.slice(0, colon), credentials.secretId) &&
      sameSecret(decoded.slice(colon + 1), credentials.secretPassword);
    if (ok) lastGoodAuthorization = authorization;
    return ok;
  };

  const scheduler = createScheduler(clock);
  if (options.ticker ?? options.clock === undefined) scheduler.startTicker();
  const faults = createFaults();
  const webhooks = createWebhookSender({ clock, scheduler, fetch: (...args) => fetchImpl(...args), target: () => webhookTarget });

  let links: Link[] = [];
  const byId = new Map<string, Link>();
  let syncDeletes: number[] = [];
  const lastRefreshAt = new Map<string, number>();
  const pendingDeletes = new Map<string, string>();
  const sessions = new Map<string, MfaSession>();
  const requests: RecordedRequest[] = [];
  const recurrentUpdates = createRecurrentUpdates({
    clock,
    scheduler,
    send: (payload) => webhooks.send(payload),
    links: () => links,
    seed: () => seed,
    failuresPerDay: options.recurrentFailuresPerDay ?? 0,
  });

  const load = (nextSeed: number) => {
    seed = nextSeed;
    links = seedLinks({ seed, now: clock.now(), count: options.linkCount ?? defaultLinkCount });
    byId.clear();
    for (const link of links) byId.set(link.id, link);
    syncDeletes = [];
    lastRefreshAt.clear();
    pendingDeletes.clear();
    sessions.clear();
    scheduler.clear();
    faults.clear();
    recurrentUpdates.arm();
  };
  load(seed);

  const removeLink = (id: string) => {
    const link = byId.get(id);
    if (!link) return null;
    byId.delete(id);
    links = links.filter((candidate) => candidate.id !== id);
    lastRefreshAt.delete(id);
    return link;
  };

  const fail = (c: Context, status: number, items: SimErrorItem[], headers: Record<string, string> = {}) => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    return c.json(errorBody(items), status as 400);
  };

  const readJson = async (c: Context): Promise<{ ok: true; body: JsonObject } | { ok: false; response: Response }> => {
    const text = await c.req.text();
    if (text.trim() === '') return { ok: true, body: {} };
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return {
          ok: false,
          response: fail(c, 400, [{ code: 'invalid', message: 'Invalid data. Expected a dictionary, but got list.' }]),
        };
      }
      return { ok: true, body: parsed as JsonObject };
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'invalid JSON';
      return { ok: false, response: fail(c, 400, [{ code: 'parse_error', message: `JSON parse error - ${detail}` }]) };
    }
  };

  const sendHistoricalUpdates = (link: Link, requestId: string, resources: readonly string[]) => {
    scheduler.at(clock.now() + timings.historicalUpdateMs, () => {
      const current = byId.get(link.id);
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
    lastRefreshAt.set(link.id, clock.now());
    sendHistoricalUpdates(link, requestId, resources);
    return requestId;
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
    sessions.set(session.session, session);
    return session;
  };

  const tokenRequired = (c: Context, session: MfaSession) =>
    c.json(tokenRequiredBody(session, newRequestId(), messages.token_required), 428);

  const app = new Hono({ strict: true });

  // Record, delay, authenticate and fail on purpose — in that order, as a real network would.
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const route = routeKey(c.req.method, url.pathname);
    const authenticated = isAuthenticated(c.req.header('authorization'));
    if (url.pathname.startsWith('/api/')) {
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name] = name === 'authorization' ? `${value.split(' ')[0] ?? ''} [redacted]` : value;
      });
      const body = ['POST', 'PATCH', 'PUT'].includes(c.req.method) ? maskSecrets(await c.req.raw.clone().text()) : null;
      requests.push({ at: new Date(clock.now()).toISOString(), method: c.req.method, path: url.pathname, query: url.search, route, headers, authenticated, body });
      if (requests.length > 10_000) requests.splice(0, requests.length - 10_000);
    }

    const latency = faults.latencyFor(route) || (route === 'GET /api/links/' ? (options.pageLatencyMs ?? 0) : 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const isControl = url.pathname.startsWith('/_sim/') || url.pathname === '/_sim';
    if ((url.pathname.startsWith('/api/') || isControl) && !authenticated) {
      return fail(c, 401, [{ code: 'authentication_failed', message: messages.authentication_failed }], {
        'www-authenticate': 'Basic realm="api"',
      });
    }
    if (!isControl) {
      const fault = faults.take(route);
      if (fault) return answerFault(c, fault, url.pathname);
    }
    return next();
  });

  const answerFault = async (c: Context, kind: FaultKind, path: string) => {
    switch (kind) {
      case '500':
        return fail(c, 500, [{ code: 'unexpected_error', message: messages.unexpected_error }]);
      case '408':
        return fail(c, 408, [{ code: 'request_timeout', message: messages.request_timeout }]);
      case '403':
        return fail(c, 403, [{ code: 'access_to_resource_denied', message: messages.access_to_resource_denied }]);
      case '428': {
        const linkId = new RegExp(uuidText).exec(path)?.[0] ?? randomUUID();
        return tokenRequired(c, await openSession(linkId, reauthenticationScenario, { kind: 'fault' }));
      }
      case '429':
        // Belvo's account-wide guidance is 80 requests / 30 s; DRF's throttle answer and wording.
        return fail(c, 429, [{ code: 'too_many_requests', message: 'Request was throttled. Expected available in 7 seconds.' }], { 'retry-after': '7' });
      case 'drop':
        return new Response(null, { status: 599, headers: { [dropMarker]: '1' } });
    }
  };

  app.get('/api/links/', (c) => {
    const outcome = listLinks(links, new URL(c.req.url));
    if (!outcome.ok) return fail(c, outcome.status, outcome.errors);
    return c.json(outcome.body);
  });

  app.get('/api/links/:id/', (c) => {
    const link = byId.get(c.req.param('id'));
    if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);
    return c.json(link);
  });

  app.delete('/api/links/:id/', (c) => {
    const id = c.req.param('id');
    const link = byId.get(id);
    if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);

    // Exactly `async`: Belvo treats the header value case-sensitively (OpenAPI v1.35, transactions).
    if (c.req.header('x-belvo-request-mode') === 'async') {
      const pending = pendingDeletes.get(id);
      if (pending) return c.json({ request_id: pending }, 202);
      const requestId = newRequestId();
      pendingDeletes.set(id, requestId);
      scheduler.at(clock.now() + timings.asyncDeleteMs, () => {
        pendingDeletes.delete(id);
        const deleted = removeLink(id);
        if (!deleted) return;
        webhooks.send({
          webhook_id: newWebhookId(),
          webhook_type: 'LINK',
          webhook_code: 'link_deleted',
          process_type: 'link_deleted',
          link_id: id,
          request_id: requestId,
          external_id: deleted.external_id,
          data: {},
        });
      });
      return c.json({ request_id: requestId }, 202);
    }

    const now = clock.now();
    syncDeletes = syncDeletes.filter((at) => at > now - timings.syncDeleteWindowMs);
    if (syncDeletes.length >= timings.syncDeleteLimit) {
      const oldest = syncDeletes[0] ?? now;
      const wait = Math.max(1, Math.ceil((oldest + timings.syncDeleteWindowMs - now) / 1000));
      // DRF's throttle wording; Belvo documents only "429 Too Many Requests" (seed 000).
      return fail(c, 429, [{ code: 'too_many_requests', message: `Request was throttled. Expected available in ${wait} seconds.` }], {
        'retry-after': String(wait),
      });
    }
    syncDeletes.push(now);
    pendingDeletes.delete(id);
    removeLink(id);
    return c.body(null, 204);
  });

  app.post('/api/links/:id/refresh/', async (c) => {
    const link = byId.get(c.req.param('id'));
    if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;

    const institution = findInstitution(link.institution);
    const supported = institution?.resources ?? [];
    let resources: readonly string[] = supported;
    const requested = parsed.body.fetch_resources;
    if (requested !== undefined && requested !== null) {
      if (!Array.isArray(requested) || requested.some((item) => typeof item !== 'string')) {
        return fail(c, 400, [{ field: 'fetch_resources', code: 'not_a_list', message: 'Expected a list of items but got type "str".' }]);
      }
      const unsupported = (requested as string[]).filter((resource) => !supported.includes(resource));
      if (unsupported.length > 0 || requested.length === 0) {
        return fail(c, 400, [
          { field: 'resources', code: 'invalid', message: `The institution only supports the following resources: ${supported.join(', ')}` },
        ]);
      }
      resources = requested as string[];
    }

    const last = lastRefreshAt.get(link.id);
    const now = clock.now();
    if (last !== undefined && now - last < timings.refreshCooldownMs) {
      const minutes = Math.ceil((last + timings.refreshCooldownMs - now) / 60_000);
      // Wording from seed 004: "Please wait X minutes"; Belvo's template does not say "minute" for 1.
      return fail(c, 409, [
        { code: 'link_refreshed', message: `The link has already been refreshed. Please wait ${minutes} minutes before trying again.` },
      ]);
    }
    if (link.status === 'token_required') {
      const session = await openSession(link.id, reauthenticationScenario, {
        kind: 'refresh',
        requestId: newRequestId(),
        resources: [...resources],
      });
      return tokenRequired(c, session);
    }
    if (link.status === 'invalid') return fail(c, 400, [{ code: 'invalid_link', message: messages.invalid_link }]);
    if (link.status === 'unconfirmed') return fail(c, 400, [{ code: 'unconfirmed_link', message: messages.unconfirmed_link }]);

    return c.json({ request_id: acceptRefresh(link, resources) }, 202);
  });

  app.post('/api/links/', async (c) => {
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const errors: SimErrorItem[] = [];
    const str = (key: string): string | undefined => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
    const requireString = (key: string) => {
      const value = body[key];
      if (value === undefined) errors.push({ field: key, code: 'required', message: messages.required });
      else if (value === null) errors.push({ field: key, code: 'null', message: messages.null });
      else if (typeof value !== 'string') errors.push({ field: key, code: 'invalid', message: 'Not a valid string.' });
      else if (value.trim() === '') errors.push({ field: key, code: 'blank', message: messages.blank });
    };

    requireString('institution');
    const institutionName = str('institution') ?? '';
    const institution = findInstitution(institutionName);
    if (institutionName && !institution) {
      errors.push({
        field: 'institution',
        code: 'does_not_exist',
        message: institutionPattern.test(institutionName)
          ? `Object with name=${institutionName} does not exist.`
          : `Object with name=${institutionName} does not exist. Institution codes look like erebor_mx_retail.`,
      });
    }
    requireString('username');
    if (institution?.passwordRequired ?? true) requireString('password');

    const requestedMode = body.access_mode ?? 'recurrent';
    const accessMode = requestedMode === 'single' ? 'single' : 'recurrent';
    if (requestedMode !== 'single' && requestedMode !== 'recurrent') {
      errors.push({ field: 'access_mode', code: 'invalid_choice', message: `"${String(requestedMode)}" is not a valid choice.` });
    }
    const externalId = body.external_id;
    if (externalId !== undefined && externalId !== null && (typeof externalId !== 'string' || !belvoExternalIdPattern.test(externalId))) {
      errors.push({
        field: 'external_id',
        code: 'invalid',
        message: 'Ensure this field has at least 3 characters and contains only letters, numbers, dashes and underscores.',
      });
    }
    let fetchResources: string[] = [];
    if (body.fetch_resources !== undefined && body.fetch_resources !== null) {
      const list = body.fetch_resources;
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
        errors.push({ field: 'fetch_resources', code: 'not_a_list', message: 'Expected a list of items.' });
      } else if (institution && list.some((item) => !institution.resources.includes(item as string))) {
        errors.push({
          field: 'resources',
          code: 'invalid',
          message: `The institution only supports the following resources: ${institution.resources.join(', ')}`,
        });
      } else fetchResources = list as string[];
    }
    const storage = body.credentials_storage ?? (accessMode === 'recurrent' ? 'store' : '365d');
    const storageValid = typeof storage === 'string' && /^(store|nostore|([1-9]\d?|[12]\d\d|3[0-5]\d|36[0-5])d)$/.test(storage);
    if (!storageValid) {
      errors.push({ field: 'credentials_storage', code: 'invalid', message: 'Use store, nostore, or a number of days from 1d to 365d.' });
    } else if (accessMode === 'recurrent' && storage !== 'store') {
      errors.push({ field: 'credentials_storage', code: 'invalid_credentials_storage', message: 'Recurrent links must store the credentials' });
    } else if (storage === 'nostore' && fetchResources.length === 0) {
      errors.push({ field: 'fetch_resources', code: 'invalid_fetch_resources', message: 'Single links without stored credentials must fetch resources' });
    }
    const staleIn = body.stale_in;
    if (staleIn !== undefined && staleIn !== null && (typeof staleIn !== 'string' || !/^\d{1,3}d$/.test(staleIn))) {
      errors.push({ field: 'stale_in', code: 'invalid', message: 'Use a number of days, such as 90d.' });
    }
    if (errors.length > 0 || !institution) return fail(c, 400, errors);

    const username = str('username') ?? '';
    const password = str('password');
    if (username === 'user_invalid' || password === 'pass_invalid') {
      return fail(c, 400, [{ code: 'login_error', message: messages.login_error }]);
    }
    const scenario = findScenario(username);
    if (scenario && password !== scenarioPassword) {
      return fail(c, 400, [{ code: 'login_error', message: messages.login_error }]);
    }

    const now = clock.now();
    const link: Link = {
      id: randomUUID(),
      institution: institution.name,
      access_mode: accessMode,
      status: scenario ? 'unconfirmed' : 'valid',
      refresh_rate: accessMode === 'recurrent' ? '7d' : null,
      created_by: '6e9be884-4781-4143-b673-aca02475ee8c',
      last_accessed_at: scenario ? null : isoMicros(now),
      external_id: typeof externalId === 'string' ? externalId : null,
      created_at: isoMicros(now),
      institution_user_id: institutionUserIdFor(institution.name, username),
      credentials_storage: storage as string,
      stale_in: typeof staleIn === 'string' ? staleIn : '365d',
      fetch_resources: fetchResources,
    };
    links.unshift(link);
    byId.set(link.id, link);

    if (scenario) return tokenRequired(c, await openSession(link.id, scenario, { kind: 'register' }));
    if (accessMode === 'recurrent' || fetchResources.length > 0) {
      sendHistoricalUpdates(link, newRequestId(), fetchResources.length > 0 ? fetchResources : institution.resources);
    }
    return c.json(link, 201);
  });

  app.patch('/api/links/', async (c) => {
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const errors: SimErrorItem[] = [];
    for (const key of ['session', 'link']) {
      if (body[key] === undefined || body[key] === null || body[key] === '') {
        errors.push({ field: key, code: 'required', message: messages.required });
      }
    }
    if (typeof body.session === 'string' && !/^[a-f0-9]{32}$/.test(body.session)) {
      errors.push({ field: 'session', code: 'invalid', message: 'A session is the 32-character value from the 428 response.' });
    }
    if (typeof body.link === 'string' && !uuidOnly.test(body.link)) {
      errors.push({ field: 'link', code: 'invalid', message: 'Must be a valid UUID.' });
    }
    if (body.token !== undefined && body.token !== null && typeof body.token !== 'string') {
      errors.push({ field: 'token', code: 'invalid', message: 'Not a valid string.' });
    }
    if (errors.length > 0) return fail(c, 400, errors);

    const session = sessions.get(body.session as string);
    const now = clock.now();
    if (!session || now >= session.expiresAt) {
      if (session) sessions.delete(session.session);
      return fail(c, 400, [{ code: 'session_expired', message: messages.session_expired }]);
    }
    if (session.linkId !== body.link) {
      return fail(c, 400, [{ field: 'link', code: 'invalid', message: 'This link does not belong to the session you are resuming.' }]);
    }
    const spec = session.scenario.steps[session.step];
    if (!spec) return fail(c, 400, [{ code: 'session_expired', message: messages.session_expired }]);

    // A late numeric/QR token: the institution answers with a fresh challenge (seed 003).
    if (spec.challengeTtlMs !== null && now - session.challengeIssuedAt > spec.challengeTtlMs) {
      session.challengeIssuedAt = now;
      session.challengeValue = await spec.makeValue(session.session);
      return tokenRequired(c, session);
    }
    const token = typeof body.token === 'string' ? body.token : undefined;
    if (spec.expectsUserInput && (token === undefined || token.trim() === '')) {
      return fail(c, 400, [{ field: 'token', code: 'required', message: messages.required }]);
    }
    if (!spec.accepts(token)) {
      return fail(c, 400, [{ field: 'token', code: 'invalid_token', message: 'The token you provided is invalid. Check it and try again.' }]);
    }

    sessions.delete(session.session);
    if (session.step + 1 < session.scenario.steps.length) {
      const next = await openSession(session.linkId, session.scenario, session.purpose, session.step + 1);
      next.expiresAt = session.expiresAt;
      return tokenRequired(c, next);
    }

    const link = byId.get(session.linkId);
    if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);
    link.status = 'valid';
    link.last_accessed_at = isoMicros(now);
    if (session.purpose.kind === 'refresh') acceptRefresh(link, session.purpose.resources, session.purpose.requestId);
    else if (session.purpose.kind === 'register' && link.access_mode === 'recurrent') {
      sendHistoricalUpdates(link, newRequestId(), findInstitution(link.institution)?.resources ?? []);
    }
    return c.json(link, body.save_data === false ? 200 : 201);
  });

  if (mode === 'sandbox') {
    const control = new Hono();
    control.get('/', (c) =>
      c.json({
        mode,
        seed,
        now: new Date(clock.now()).toISOString(),
        links: links.length,
        pending_tasks: scheduler.pendingCount(),
        webhook_url: webhookTarget?.url ?? null,
        routes: simRoutes,
        fault_kinds: faultKinds,
        ...faults.list(),
      }),
    );
    control.post('/reset', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { seed?: unknown };
      load(typeof body.seed === 'number' && Number.isInteger(body.seed) ? body.seed : seed);
      return c.json({ seed, links: links.length });
    });
    control.post('/clock/advance', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { seconds?: unknown };
      const seconds = Number(body.seconds);
      if (!Number.isFinite(seconds) || seconds <= 0) {
        return fail(c, 400, [{ field: 'seconds', code: 'invalid', message: 'Send {"seconds": N} with N > 0.' }]);
      }
      clock.advance(seconds * 1000);
      return c.json({ now: new Date(clock.now()).toISOString() });
    });
    control.post('/faults', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { route?: unknown; kind?: unknown; count?: unknown };
      const route = typeof body.route === 'string' ? body.route : '*';
      const kind = String(body.kind) as FaultKind;
      const count = body.count === undefined ? 1 : Number(body.count);
      if (route !== '*' && !(simRoutes as readonly string[]).includes(route)) {
        return fail(c, 400, [{ field: 'route', code: 'invalid', message: `route must be * or one of: ${simRoutes.join(', ')}` }]);
      }
      if (!faultKinds.includes(kind)) {
        return fail(c, 400, [{ field: 'kind', code: 'invalid', message: `kind must be one of: ${faultKinds.join(', ')}` }]);
      }
      if (!Number.isInteger(count) || count < 1 || count > 1000) {
        return fail(c, 400, [{ field: 'count', code: 'invalid', message: 'count must be a whole number from 1 to 1000' }]);
      }
      faults.add({ route, kind, remaining: count });
      return c.json(faults.list(), 201);
    });
    control.delete('/faults', (c) => {
      faults.clear();
      return c.body(null, 204);
    });
    control.put('/latency', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { route?: unknown; ms?: unknown };
      const ms = Number(body.ms);
      if (!Number.isFinite(ms) || ms < 0 || ms > 120_000) {
        return fail(c, 400, [{ field: 'ms', code: 'invalid', message: 'ms must be from 0 to 120000' }]);
      }
      faults.setLatency({ route: typeof body.route === 'string' ? body.route : '*', ms });
      return c.json(faults.list());
    });
    control.put('/webhook', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { url?: unknown; authorization?: unknown };
      if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
        return fail(c, 400, [{ field: 'url', code: 'invalid', message: 'url must be an http(s) URL' }]);
      }
      webhookTarget = { url: body.url, authorization: typeof body.authorization === 'string' ? body.authorization : null };
      return c.json({ url: webhookTarget.url });
    });
    control.post('/links/:id/fail-update', async (c) => {
      const link = byId.get(c.req.param('id'));
      if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);
      const body = (await c.req.json().catch(() => ({}))) as { status?: unknown };
      if (body.status !== 'invalid' && body.status !== 'token_required') {
        return fail(c, 400, [{ field: 'status', code: 'invalid', message: 'status must be invalid or token_required' }]);
      }
      recurrentUpdates.fail(link, body.status);
      return c.json(link);
    });
    control.get('/webhooks', (c) => c.json(webhooks.deliveries.slice(-200)));
    control.get('/requests', (c) => c.json(requests.slice(-200)));
    control.get('/scenarios', (c) =>
      c.json({
        password: scenarioPassword,
        institutions: simInstitutions.map((institution) => institution.name),
        scenarios: scenarios.map(({ username, summary, expirySeconds }) => ({ username, summary, expiry_seconds: expirySeconds })),
      }),
    );
    app.route('/_sim', control);
  }

  app.notFound((c) => fail(c, 404, [{ code: 'not_found', message: messages.not_found }]));
  app.onError((error, c) => {
    console.warn('[belvo-sim] unexpected error', error);
    return fail(c, 500, [{ code: 'unexpected_error', message: messages.unexpected_error }]);
  });

  // Unsupported methods on Belvo's paths get DRF's 405, not a 404.
  const allowed: Record<string, string[]> = {
    '/api/links/': ['GET', 'POST', 'PATCH'],
  };
  const handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    const methods = allowed[path] ?? (/^\/api\/links\/[^/]+\/$/.test(path) ? ['GET', 'DELETE'] : undefined);
    if (methods && !methods.includes(request.method) && request.method !== 'HEAD' && request.method !== 'OPTIONS') {
      const json = (status: number, items: SimErrorItem[], headers: Record<string, string>) =>
        new Response(JSON.stringify(errorBody(items)), { status, headers: { 'content-type': 'application/json', ...headers } });
      if (!isAuthenticated(request.headers.get('authorization'))) {
        return json(401, [{ code: 'authentication_failed', message: messages.authentication_failed }], {
          'www-authenticate': 'Basic realm="api"',
        });
      }
      return json(405, [{ code: 'method_not_allowed', message: `Method "${request.method}" not allowed.` }], {
        allow: methods.join(', '),
      });
    }
    return app.fetch(request);
  };

  return {
    /** Answers a request in-process, as `fetch` would over HTTP (a dropped connection rejects). */
    async fetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      // Honour the caller's abort signal as a real connection would (timeouts in tests).
      const signal = request.signal;
      signal.throwIfAborted();
      const response = await new Promise<Response>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        handle(request).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
      if (response.headers.has(dropMarker)) {
        throw new TypeError('fetch failed', { cause: new Error('other side closed (simulated dropped connection)') });
      }
      return response;
    },
    handle,
    /** A control request (`/_sim/…`) signed with the simulator's own keys, for whoever runs it in-process. */
    control(request: Request): Promise<Response> {
      const headers = new Headers(request.headers);
      headers.set('authorization', `Basic ${Buffer.from(`${credentials.secretId}:${credentials.secretPassword}`).toString('base64')}`);
      return handle(new Request(request, { headers }));
    },
    clock,
    credentials,
    mode,
    requests,
    webhooks,
    faults,
    scheduler,
    timings,
    links: () => links,
    findLink: (id: string) => byId.get(id),
    /** A scheduled recurrent update of this link fails (status change + LINK webhook). */
    failRecurrentUpdate: (link: Link, status: 'invalid' | 'token_required') => recurrentUpdates.fail(link, status),
    reset: (nextSeed = seed) => load(nextSeed),
    advance: (ms: number) => clock.advance(ms),
    setWebhookTarget(target: WebhookTarget | null) {
      webhookTarget = target;
    },
    sessions,
    close() {
      scheduler.stop();
    },
  };
}

export type BelvoSim = ReturnType<typeof createBelvoSim>;

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
