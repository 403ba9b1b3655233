import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { institutionPattern, type Link } from '../contract/links.ts';
import { messages, newRequestId, type SimErrorItem } from './errors.ts';
import { shapeObject } from './fields.ts';
import { findInstitution, type SimInstitution } from './institutions.ts';
import { findScenario, scenarioPassword } from './mfa.ts';
import { fail, institutionUserIdFor, isoMicros, readJson, type JsonObject, type SimState } from './sim-state.ts';

/** Belvo's own rule (seed 003): no maximum length is documented, so the simulator sets none. */
const belvoExternalIdPattern = /^[A-Za-z0-9_-]{3,}$/;

const personalData = [
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/, // email
  /^[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d$/i, // CURP (Mexico)
];

/**
 * Seed 003: "If you use any personally identifiable information in your external_id, Belvo will set
 * the external_id to null." Which values count is Belvo's secret; these are the ones its guide names
 * that can be told apart: an email, a phone number or CPF (10–15 digits, punctuation ignored), a CURP.
 */
export function looksLikePersonalData(externalId: string): boolean {
  const trimmed = externalId.trim();
  if (personalData.some((pattern) => pattern.test(trimmed))) return true;
  const digits = trimmed.replace(/[\s().+_-]/g, '').replace(/\./g, '');
  return /^\d{10,15}$/.test(digits);
}

export interface Registration {
  institution: SimInstitution;
  accessMode: 'single' | 'recurrent';
  externalId: string | null;
  fetchResources: string[];
  credentialsStorage: string;
  staleIn: string | null;
}

/** Field checks of `POST /api/links/`, in DRF's shape: every bad field at once. */
export function validateRegistration(body: JsonObject): { ok: true; registration: Registration } | { ok: false; errors: SimErrorItem[] } {
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
  const externalId = typeof body.external_id === 'string' && looksLikePersonalData(body.external_id) ? null : body.external_id;
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

  const fetchHistorical = body.fetch_historical;
  if (fetchHistorical !== undefined && fetchHistorical !== null && typeof fetchHistorical !== 'boolean') {
    errors.push({ field: 'fetch_historical', code: 'invalid', message: 'Must be a valid boolean.' });
  }
  if (errors.length > 0 || !institution) return { ok: false, errors };
  return {
    ok: true,
    registration: {
      institution,
      accessMode,
      externalId: typeof externalId === 'string' ? externalId : null,
      fetchResources,
      credentialsStorage: storage as string,
      staleIn: typeof staleIn === 'string' ? staleIn : null,
    },
  };
}

export function registerRegistrationRoute(app: Hono, sim: SimState) {
  app.post('/api/links/', async (c) => {
    const parsed = await readJson(c);
    if (!parsed.ok) return parsed.response;
    const body = parsed.body;
    const checked = validateRegistration(body);
    if (!checked.ok) return fail(c, 400, checked.errors);
    const { institution, accessMode, externalId, fetchResources, credentialsStorage, staleIn } = checked.registration;

    const username = typeof body.username === 'string' ? body.username : '';
    const password = typeof body.password === 'string' ? body.password : undefined;
    const token = typeof body.token === 'string' ? body.token : undefined;
    if (username === 'user_invalid' || password === 'pass_invalid') {
      return fail(c, 400, [{ code: 'login_error', message: messages.login_error }]);
    }
    const scenario = findScenario(username);
    if (scenario && password !== scenarioPassword) {
      return fail(c, 400, [{ code: 'login_error', message: messages.login_error }]);
    }
    // A correct token sent with the registration answers the first challenge (api §2.2 allows it, "not recommended").
    const firstStepAnswered = scenario !== undefined && token !== undefined && scenario.steps[0]?.accepts(token) === true;
    const pendingStep = scenario && !(firstStepAnswered && scenario.steps.length === 1) ? (firstStepAnswered ? 1 : 0) : null;

    const now = sim.state.clock.now();
    const link: Link = {
      id: randomUUID(),
      institution: institution.name,
      access_mode: accessMode,
      status: pendingStep === null ? 'valid' : 'unconfirmed',
      refresh_rate: accessMode === 'recurrent' ? '7d' : null,
      created_by: '6e9be884-4781-4143-b673-aca02475ee8c',
      last_accessed_at: pendingStep === null ? isoMicros(now) : null,
      external_id: externalId,
      created_at: isoMicros(now),
      institution_user_id: institutionUserIdFor(institution.name, username),
      credentials_storage: credentialsStorage,
      stale_in: staleIn ?? '365d',
      fetch_resources: fetchResources,
    };
    sim.addLink(link);

    if (scenario && pendingStep !== null) return sim.tokenRequired(c, await sim.openSession(link.id, scenario, { kind: 'register' }, pendingStep));
    if (accessMode === 'recurrent' || fetchResources.length > 0) {
      sim.sendHistoricalUpdates(link, newRequestId(), fetchResources.length > 0 ? fetchResources : institution.resources);
    }
    return c.json(shapeObject(link, new URL(c.req.url).searchParams), 201);
  });
}
