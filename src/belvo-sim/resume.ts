import type { Hono } from 'hono';
import { uuidText } from '../contract/links.ts';
import { messages, newRequestId, type SimErrorItem } from './errors.ts';
import { shapeObject } from './fields.ts';
import { findInstitution } from './institutions.ts';
import { fail, readJson, type SimState } from './sim-state.ts';

const uuidOnly = new RegExp(`^${uuidText}$`);

/** `PATCH /api/links/`: resume a register, update or refresh paused by a 428 (api §2.3, seed 003). */
export function registerResumeRoute(app: Hono, sim: SimState) {
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

      const session = sim.state.sessions.get(body.session as string);
      const now = sim.state.clock.now();
      if (!session || now >= session.expiresAt) {
        if (session) sim.state.sessions.delete(session.session);
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
        return sim.tokenRequired(c, session);
      }
      const token = typeof body.token === 'string' ? body.token : undefined;
      if (spec.expectsUserInput && (token === undefined || token.trim() === '')) {
        return fail(c, 400, [{ field: 'token', code: 'required', message: messages.required }]);
      }
      if (!spec.accepts(token)) {
        return fail(c, 400, [{ field: 'token', code: 'invalid_token', message: 'The token you provided is invalid. Check it and try again.' }]);
      }

      sim.state.sessions.delete(session.session);
      if (session.step + 1 < session.scenario.steps.length) {
        const next = await sim.openSession(session.linkId, session.scenario, session.purpose, session.step + 1);
        next.expiresAt = session.expiresAt;
        return sim.tokenRequired(c, next);
      }

      const link = sim.state.byId.get(session.linkId);
      if (!link) return fail(c, 404, [{ code: 'not_found', message: messages.not_found }]);
      // A refresh resumed is told by its historical updates; a credentials update by a LINK webhook (choice).
    sim.markValid(link, { notify: session.purpose.kind === 'update' });
      if (session.purpose.kind === 'refresh') sim.acceptRefresh(link, session.purpose.resources, session.purpose.requestId);
      else if (session.purpose.kind === 'register' && link.access_mode === 'recurrent') {
        sim.sendHistoricalUpdates(link, newRequestId(), findInstitution(link.institution)?.resources ?? []);
      }
      return c.json(shapeObject(link, new URL(c.req.url).searchParams), body.save_data === false ? 200 : 201);
    });
}
