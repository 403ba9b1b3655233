import { Hono } from 'hono';
import { messages } from './errors.ts';
import { faultKinds, simRoutes, type FaultKind } from './faults.ts';
import { simInstitutions } from './institutions.ts';
import { scenarioPassword, scenarios } from './mfa.ts';
import { fail, type SimState } from './sim-state.ts';

/** The sandbox's control endpoints (`/_sim/…`): reset, clock, faults, latency, webhooks, recordings. */
export function createControls(sim: SimState): Hono {
  const { state } = sim;
  const control = new Hono();
  control.get('/', (c) =>
    c.json({
      mode: state.mode,
      seed: state.seed,
      now: new Date(state.clock.now()).toISOString(),
      links: state.links.length,
      pending_tasks: state.scheduler.pendingCount(),
      webhook_url: state.webhookTarget?.url ?? null,
      routes: simRoutes,
      fault_kinds: faultKinds,
      ...state.faults.list(),
    }),
  );
  control.post('/reset', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { seed?: unknown };
    sim.load(typeof body.seed === 'number' && Number.isInteger(body.seed) ? body.seed : state.seed);
    return c.json({ seed: state.seed, links: state.links.length });
  });
  control.post('/clock/advance', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { seconds?: unknown };
    const seconds = Number(body.seconds);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      return fail(c, 400, [{ field: 'seconds', code: 'invalid', message: 'Send {"seconds": N} with N > 0.' }]);
    }
    state.clock.advance(seconds * 1000);
    return c.json({ now: new Date(state.clock.now()).toISOString() });
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
    state.faults.add({ route, kind, remaining: count });
    return c.json(state.faults.list(), 201);
  });
  control.delete('/faults', (c) => {
    state.faults.clear();
    return c.body(null, 204);
  });
  control.put('/latency', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { route?: unknown; ms?: unknown };
    const ms = Number(body.ms);
    if (!Number.isFinite(ms) || ms < 0 || ms > 120_000) {
      return fail(c, 400, [{ field: 'ms', code: 'invalid', message: 'ms must be from 0 to 120000' }]);
    }
    state.faults.setLatency({ route: typeof body.route === 'string' ? body.route : '*', ms });
    return c.json(state.faults.list());
  });
  control.put('/webhook', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { url?: unknown; authorization?: unknown };
    if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
      return fail(c, 400, [{ field: 'url', code: 'invalid', message: 'url must be an http(s) URL' }]);
    }
    state.webhookTarget = { url: body.url, authorization: typeof body.authorization === 'string' ? body.authorization : null };
    return c.json({ url: state.webhookTarget.url });
  });
  control.post('/links/:id/fail-update', async (c) => {
    const link = state.byId.get(c.req.param('id'));
    if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);
    const body = (await c.req.json().catch(() => ({}))) as { status?: unknown };
    if (body.status !== 'invalid' && body.status !== 'token_required') {
      return fail(c, 400, [{ field: 'status', code: 'invalid', message: 'status must be invalid or token_required' }]);
    }
    sim.recurrentUpdates.fail(link, body.status);
    return c.json(link);
  });
  control.get('/webhooks', (c) => c.json(sim.webhooks.deliveries.slice(-200)));
  control.get('/requests', (c) => c.json(state.requests.slice(-200)));
  control.get('/scenarios', (c) =>
    c.json({
      password: scenarioPassword,
      institutions: simInstitutions.map((institution) => institution.name),
      scenarios: scenarios.map(({ username, summary, expirySeconds }) => ({ username, summary, expiry_seconds: expirySeconds })),
    }),
  );

  return control;
}
