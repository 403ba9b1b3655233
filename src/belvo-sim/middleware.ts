import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { uuidText } from '../contract/links.ts';
import { errorBody, messages, type SimErrorItem } from './errors.ts';
import { allowedMethods, routeKey, type FaultKind } from './faults.ts';
import { reauthenticationScenario } from './mfa.ts';
import { dropMarker, maskSecrets } from './sim-options.ts';
import { fail, type SimState } from './sim-state.ts';

const authenticationFailed = [{ code: 'authentication_failed', message: messages.authentication_failed }];
const basicChallenge = { 'www-authenticate': 'Basic realm="api"' };

/** Record, delay, authenticate and fail on purpose — in that order, as a real network would. */
export function createSimMiddleware(sim: SimState): MiddlewareHandler {
  const { state } = sim;
  return async (c, next) => {
    const url = new URL(c.req.url);
    const route = routeKey(c.req.method, url.pathname);
    const authenticated = state.isAuthenticated(c.req.header('authorization'));
    if (url.pathname.startsWith('/api/')) {
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name] = name === 'authorization' ? `${value.split(' ')[0] ?? ''} [redacted]` : value;
      });
      const body = ['POST', 'PATCH', 'PUT'].includes(c.req.method) ? maskSecrets(await c.req.raw.clone().text()) : null;
      state.requests.push({ at: new Date(state.clock.now()).toISOString(), method: c.req.method, path: url.pathname, query: url.search, route, headers, authenticated, body });
      if (state.requests.length > 10_000) state.requests.splice(0, state.requests.length - 10_000);
    }

    const latency = state.faults.latencyFor(route) || (route === 'GET /api/links/' ? (state.options.pageLatencyMs ?? 0) : 0);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const isControl = url.pathname.startsWith('/_sim/') || url.pathname === '/_sim';
    // `POST /api/token/` takes the keys in its body, as Belvo's documented cURL does (api §7).
    const bodyAuthenticated = route === 'POST /api/token/';
    if ((url.pathname.startsWith('/api/') || isControl) && !authenticated && !bodyAuthenticated) {
      return fail(c, 401, authenticationFailed, basicChallenge);
    }
    if (!isControl) {
      const fault = state.faults.take(route);
      if (fault) return answerFault(sim, c, fault, url.pathname);
    }
    return next();
  };
}

async function answerFault(sim: SimState, c: Context, kind: FaultKind, path: string) {
  switch (kind) {
    case '500':
      return fail(c, 500, [{ code: 'unexpected_error', message: messages.unexpected_error }]);
    case '408':
      return fail(c, 408, [{ code: 'request_timeout', message: messages.request_timeout }]);
    case '403':
      return fail(c, 403, [{ code: 'access_to_resource_denied', message: messages.access_to_resource_denied }]);
    case '428': {
      const linkId = new RegExp(uuidText).exec(path)?.[0] ?? randomUUID();
      return sim.tokenRequired(c, await sim.openSession(linkId, reauthenticationScenario, { kind: 'fault' }));
    }
    case '429':
      // Belvo's account-wide guidance is 80 requests / 30 s; DRF's throttle answer and wording.
      return fail(c, 429, [{ code: 'too_many_requests', message: 'Request was throttled. Expected available in 7 seconds.' }], { 'retry-after': '7' });
    case 'drop':
      return new Response(null, { status: 599, headers: { [dropMarker]: '1' } });
  }
}

/**
 * Unsupported methods on Belvo's paths get DRF's 405 (after authentication), not a 404. The allowed
 * methods come from `faults.ts`'s route list, so a new route is allowed in one place.
 */
export function methodNotAllowed(sim: SimState, request: Request): Response | null {
  if (request.method === 'HEAD' || request.method === 'OPTIONS') return null;
  const path = new URL(request.url).pathname.replace(/^\/api\/links\/[^/]+\//, '/api/links/{id}/');
  const methods = allowedMethods(`${request.method} ${path}`);
  if (!methods || methods.includes(request.method)) return null;
  const json = (status: number, items: SimErrorItem[], headers: Record<string, string>) =>
    new Response(JSON.stringify(errorBody(items)), { status, headers: { 'content-type': 'application/json', ...headers } });
  if (!sim.state.isAuthenticated(request.headers.get('authorization'))) return json(401, authenticationFailed, basicChallenge);
  return json(405, [{ code: 'method_not_allowed', message: `Method "${request.method}" not allowed.` }], { allow: methods.join(', ') });
}
