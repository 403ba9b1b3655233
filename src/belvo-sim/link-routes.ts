import type { Context, Hono } from 'hono';
import { uuidText } from '../contract/links.ts';
import { messages, newRequestId, type SimErrorItem } from './errors.ts';
import { shapeObject } from './fields.ts';
import { findInstitution } from './institutions.ts';
import { listLinks } from './list-links.ts';
import { reauthenticationScenario } from './mfa.ts';
import { fail, notFound, readJson, type SimState } from './sim-state.ts';
import { newWidgetToken } from './widget-tokens.ts';
import { newWebhookId } from './webhooks.ts';

const uuidOnly = new RegExp(`^${uuidText}$`);
const shaped = <T extends object>(c: Context, value: T) => shapeObject(value, new URL(c.req.url).searchParams);

/** Belvo's link endpoints other than register and resume: list, detail, update, patch, delete, refresh, token. */
export function registerLinkRoutes(app: Hono, sim: SimState) {
  const { state } = sim;

  // The API root: Belvo's SDKs call it with the keys to check them (api §7, §10). DRF lists the resources.
  app.get('/api/', (c) => {
    const root = new URL('/api/', c.req.url).href;
    return c.json({ links: `${root}links/`, institutions: `${root}institutions/`, token: `${root}token/` });
  });

  app.get('/api/links/', (c) => {
    const url = new URL(c.req.url);
    const outcome = listLinks(state.links, url);
    if (!outcome.ok) return fail(c, outcome.status, outcome.errors);
    if (!url.searchParams.has('fields') && !url.searchParams.has('omit')) return c.json(outcome.body);
    return c.json({ ...outcome.body, results: outcome.body.results.map((link) => shapeObject(link, url.searchParams)) });
  });

  app.get('/api/links/:id/', (c) => {
    const link = state.byId.get(c.req.param('id'));
    if (!link) return notFound(c);
    return c.json(shaped(c, link));
  });

  // Update credentials (api §10, [S135] LinksPutRequest): new password and, when asked, a token.
  app.put('/api/links/:id/', async (c) => {
    const link = state.byId.get(c.req.param('id'));
    if (!link) return notFound(c);
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const errors: SimErrorItem[] = [];
    for (const key of ['password', 'password2', 'token', 'username_type', 'certificate', 'private_key']) {
      if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') {
        errors.push({ field: key, code: 'invalid', message: 'Not a valid string.' });
      }
    }
    if (errors.length > 0) return fail(c, 400, errors);
    if (body.password === 'pass_invalid') return fail(c, 400, [{ code: 'login_error', message: messages.login_error }]);
    if (link.status === 'token_required') {
      const token = typeof body.token === 'string' ? body.token : undefined;
      if (!reauthenticationScenario.steps[0]?.accepts(token)) {
        return sim.tokenRequired(c, await sim.openSession(link.id, reauthenticationScenario, { kind: 'update' }));
      }
    }
    sim.markValid(link);
    return c.json(shaped(c, link));
  });

  // "Modify a link's data retrieval" (api §2, inconsistency 14): access_mode, fetch_resources, stale_in.
  app.patch('/api/links/:id/', async (c) => {
    const link = state.byId.get(c.req.param('id'));
    if (!link) return notFound(c);
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const errors: SimErrorItem[] = [];
    const accessMode = body.access_mode;
    if (accessMode !== undefined && accessMode !== 'single' && accessMode !== 'recurrent') {
      errors.push({ field: 'access_mode', code: 'invalid_choice', message: `"${String(accessMode)}" is not a valid choice.` });
    }
    const supported = findInstitution(link.institution)?.resources ?? [];
    const resources = body.fetch_resources;
    if (resources !== undefined && resources !== null) {
      if (!Array.isArray(resources) || resources.some((item) => typeof item !== 'string')) {
        errors.push({ field: 'fetch_resources', code: 'not_a_list', message: 'Expected a list of items.' });
      } else if (resources.some((item) => !supported.includes(item as string))) {
        errors.push({ field: 'resources', code: 'invalid', message: `The institution only supports the following resources: ${supported.join(', ')}` });
      }
    }
    const staleIn = body.stale_in;
    if (staleIn !== undefined && staleIn !== null && (typeof staleIn !== 'string' || !/^\d{1,3}d$/.test(staleIn))) {
      errors.push({ field: 'stale_in', code: 'invalid', message: 'Use a number of days, such as 90d.' });
    }
    if (errors.length > 0) return fail(c, 400, errors);
    if (accessMode === 'single' || accessMode === 'recurrent') {
      link.access_mode = accessMode;
      link.refresh_rate = accessMode === 'recurrent' ? (link.refresh_rate ?? '7d') : null;
    }
    if (Array.isArray(resources)) link.fetch_resources = resources as string[];
    if (typeof staleIn === 'string') link.stale_in = staleIn;
    return c.json(shaped(c, link));
  });

  // Widget access token (api §7): keys in the body (or Basic), `link_id` for update mode, valid 10 minutes.
  app.post('/api/token/', async (c) => {
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const basic = state.isAuthenticated(c.req.header('authorization'));
    const inBody =
      typeof body.id === 'string' &&
      typeof body.password === 'string' &&
      state.isAuthenticated(`Basic ${Buffer.from(`${body.id}:${body.password}`).toString('base64')}`);
    if (!basic && !inBody) {
      return fail(c, 401, [{ code: 'authentication_failed', message: messages.authentication_failed }], { 'www-authenticate': 'Basic realm="api"' });
    }
    const linkId = body.link_id;
    if (linkId !== undefined && linkId !== null) {
      if (typeof linkId !== 'string' || !uuidOnly.test(linkId)) return fail(c, 400, [{ field: 'link_id', code: 'invalid', message: 'Must be a valid UUID.' }]);
      if (!state.byId.has(linkId)) return fail(c, 400, [{ field: 'link_id', code: 'does_not_exist', message: `Object with id=${linkId} does not exist.` }]);
    }
    const scopes = typeof body.scopes === 'string' ? body.scopes.split(',').map((scope) => scope.trim()).filter(Boolean) : ['read_institutions', 'write_links', 'read_links'];
    const token = newWidgetToken(typeof linkId === 'string' ? linkId : null, scopes, state.clock.now());
    state.widgetTokens.set(token.access, token);
    return c.json({ access: token.access, refresh: token.refresh }, 201);
  });

  app.delete('/api/links/:id/', (c) => {
    const id = c.req.param('id');
    const link = state.byId.get(id);
    if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);

    // Exactly `async`: Belvo treats the header value case-sensitively (OpenAPI v1.35, transactions).
    if (c.req.header('x-belvo-request-mode') === 'async') {
      const pending = state.pendingDeletes.get(id);
      if (pending) return c.json({ request_id: pending }, 202);
      const requestId = newRequestId();
      state.pendingDeletes.set(id, requestId);
      state.scheduler.at(state.clock.now() + state.timings.asyncDeleteMs, () => {
        state.pendingDeletes.delete(id);
        const deleted = sim.removeLink(id);
        if (!deleted) return;
        sim.webhooks.send({
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

    const now = state.clock.now();
    state.syncDeletes = state.syncDeletes.filter((at) => at > now - state.timings.syncDeleteWindowMs);
    if (state.syncDeletes.length >= state.timings.syncDeleteLimit) {
      const oldest = state.syncDeletes[0] ?? now;
      const wait = Math.max(1, Math.ceil((oldest + state.timings.syncDeleteWindowMs - now) / 1000));
      // DRF's throttle wording; Belvo documents only "429 Too Many Requests" (seed 000).
      return fail(c, 429, [{ code: 'too_many_requests', message: `Request was throttled. Expected available in ${wait} seconds.` }], {
        'retry-after': String(wait),
      });
    }
    state.syncDeletes.push(now);
    state.pendingDeletes.delete(id);
    sim.removeLink(id);
    return c.body(null, 204);
  });

  app.post('/api/links/:id/refresh/', async (c) => {
    const link = state.byId.get(c.req.param('id'));
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

    const last = state.lastRefreshAt.get(link.id);
    const now = state.clock.now();
    if (last !== undefined && now - last < state.timings.refreshCooldownMs) {
      const minutes = Math.ceil((last + state.timings.refreshCooldownMs - now) / 60_000);
      // Wording from seed 004: "Please wait X minutes"; Belvo's template does not say "minute" for 1.
      return fail(c, 409, [
        { code: 'link_refreshed', message: `The link has already been refreshed. Please wait ${minutes} minutes before trying again.` },
      ]);
    }
    if (link.status === 'token_required') {
      const session = await sim.openSession(link.id, reauthenticationScenario, {
        kind: 'refresh',
        requestId: newRequestId(),
        resources: [...resources],
      });
      return sim.tokenRequired(c, session);
    }
    if (link.status === 'invalid') return fail(c, 400, [{ code: 'invalid_link', message: messages.invalid_link }]);
    if (link.status === 'unconfirmed') return fail(c, 400, [{ code: 'unconfirmed_link', message: messages.unconfirmed_link }]);

    return c.json({ request_id: sim.acceptRefresh(link, resources) }, 202);
  });

}
