import { describe, expect, it } from 'vitest';
import { createSimHarness } from '../support/sim.ts';

interface Challenge {
  code: string;
  session: string;
  expiry: number | string;
  link: string;
  request_id: string;
  token_generation_data: { type: string; value: string | null; instructions: string; expects_user_input: boolean };
}

function setup() {
  const { sim, clock, call: send } = createSimHarness();
  const call = (method: string, body: unknown) => send('/api/links/', { method, body: JSON.stringify(body) });
  const register = (username: string, extra: Record<string, unknown> = {}) =>
    call('POST', { institution: 'heimdall_mx_retail', username, password: 'pass_valid', ...extra });
  const challenge = async (response: Response) => {
    expect(response.status).toBe(428);
    const [item] = (await response.json()) as Challenge[];
    if (!item) throw new Error('empty 428');
    return item;
  };
  const resume = (c: Challenge, token?: string) => call('PATCH', { session: c.session, link: c.link, ...(token === undefined ? {} : { token }) });
  return { sim, clock, call, register, challenge, resume };
}

describe('registering a link (POST /api/links/)', () => {
  it('creates a valid link at once without MFA (user_valid / pass_valid)', async () => {
    const { call, sim } = setup();
    const response = await call('POST', { institution: 'erebor_mx_retail', username: 'user_valid', password: 'pass_valid', external_id: 'qa-user-1', access_mode: 'single', fetch_resources: ['ACCOUNTS'] });
    expect(response.status).toBe(201);
    const link = (await response.json()) as { id: string; status: string; external_id: string; access_mode: string; refresh_rate: null; institution_user_id: string };
    expect(link).toMatchObject({ status: 'valid', external_id: 'qa-user-1', access_mode: 'single', refresh_rate: null });
    expect(link.institution_user_id).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(sim.links()[0]?.id).toBe(link.id);
  });

  it('reproduces Belvo’s sandbox example: heimdall_mx_retail, mfa_default / pass_valid, token 111111', async () => {
    const { register, challenge, resume, sim } = setup();
    const first = await challenge(await register('mfa_default'));
    expect(first).toMatchObject({ code: 'token_required', message: 'A MFA token is required by the institution to login', expiry: '720' });
    expect(sim.findLink(first.link)?.status).toBe('unconfirmed');
    const done = await resume(first, '111111');
    expect(done.status).toBe(201);
    expect(((await done.json()) as { status: string }).status).toBe('valid');
  });

  it('gives a numeric code valid 30 s; a late token gets a new 428 with a new code in the same session', async () => {
    const { register, challenge, resume, clock } = setup();
    const first = await challenge(await register('mfa_numeric'));
    expect(first.token_generation_data).toMatchObject({ type: 'numeric', expects_user_input: true, value: expect.stringMatching(/^\d{6}$/) });
    expect(first.expiry).toBe('180');
    clock.advance(31_000);
    const late = await challenge(await resume(first, '111111'));
    expect(late.session).toBe(first.session);
    expect(late.token_generation_data.value).toMatch(/^\d{6}$/);
    expect(late.request_id).not.toBe(first.request_id);
    expect((await resume(late, '111111')).status).toBe(201);
  });

  it('sends a QR as a base64 PNG image for mfa_qr_image, and as base64 text for mfa_qr_text', async () => {
    const { register, challenge } = setup();
    const image = await challenge(await register('mfa_qr_image'));
    expect(image.token_generation_data.type).toBe('qr');
    expect(image.expiry).toBe(180);
    const bytes = Buffer.from(image.token_generation_data.value ?? '', 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const text = await challenge(await register('mfa_qr_text'));
    expect(Buffer.from(text.token_generation_data.value ?? '', 'base64').toString('utf8')).toMatch(/^belvo-mfa:heimdall:[a-f0-9]{32}:\d{6}$/);
  });

  it('asks a security question for mfa_text and accepts its answer, case-insensitively', async () => {
    const { register, challenge, resume } = setup();
    const question = await challenge(await register('mfa_text'));
    expect(question.token_generation_data).toMatchObject({ type: 'text', value: 'What was the name of your first pet?' });
    expect((await resume(question, 'Firulais')).status).toBe(201);
  });

  it('sends inputless with no value; rejects a wrong token with 400 and keeps the session', async () => {
    const { register, challenge, resume } = setup();
    const inputless = await challenge(await register('mfa_inputless'));
    expect(inputless.token_generation_data).toMatchObject({ type: 'inputless', value: null, expects_user_input: true });
    const wrong = await resume(inputless, '000000');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual([expect.objectContaining({ code: 'invalid_token', field: 'token', request_id: expect.stringMatching(/^[a-f0-9]{32}$/) })]);
    const missing = await resume(inputless);
    expect(await missing.json()).toEqual([expect.objectContaining({ code: 'required', field: 'token' })]);
    expect((await resume(inputless, '111111')).status).toBe(201);
  });

  it('takes a PATCH without a token when expects_user_input is false (confirmed on another device)', async () => {
    const { register, challenge, resume } = setup();
    const device = await challenge(await register('mfa_device'));
    expect(device.token_generation_data.expects_user_input).toBe(false);
    expect((await resume(device)).status).toBe(201);
  });

  it('chains a second 428 (a text question, new session) after the numeric token', async () => {
    const { register, challenge, resume } = setup();
    const first = await challenge(await register('mfa_chain'));
    const second = await challenge(await resume(first, '111111'));
    expect(second.session).not.toBe(first.session);
    expect(second.token_generation_data.type).toBe('text');
    expect((await resume(first, 'firulais')).status).toBe(400);
    expect((await resume(second, 'firulais')).status).toBe(201);
  });

  it('uses an undocumented type for mfa_unknown', async () => {
    const { register, challenge } = setup();
    const unknown = await challenge(await register('mfa_unknown'));
    expect(unknown.token_generation_data.type).toBe('push_code');
  });

  it('expires a session after `expiry` seconds on its clock: 400 session_expired', async () => {
    const { register, challenge, resume, clock } = setup();
    const short = await challenge(await register('mfa_short'));
    expect(short.expiry).toBe(20);
    clock.advance(20_000);
    const expired = await resume(short, '111111');
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual([
      expect.objectContaining({ code: 'session_expired', message: 'The session you are trying to resume has expired, please start again from register/retrieve endpoint' }),
    ]);
  });

  it.each([
    [{ username: 'u', password: 'p' }, 'institution', 'required'],
    [{ institution: 'narnia_mx_retail', username: 'u', password: 'p' }, 'institution', 'does_not_exist'],
    [{ institution: 'erebor_mx_retail', password: 'p' }, 'username', 'required'],
    [{ institution: 'erebor_mx_retail', username: 'u' }, 'password', 'required'],
    [{ institution: 'erebor_mx_retail', username: ' ', password: 'p' }, 'username', 'blank'],
    [{ institution: 'erebor_mx_retail', username: 'u', password: 'p', access_mode: 'sometimes' }, 'access_mode', 'invalid_choice'],
    [{ institution: 'erebor_mx_retail', username: 'u', password: 'p', external_id: 'a b' }, 'external_id', 'invalid'],
    [{ institution: 'erebor_mx_retail', username: 'u', password: 'p', credentials_storage: '30d' }, 'credentials_storage', 'invalid_credentials_storage'],
    [{ institution: 'erebor_mx_retail', username: 'u', password: 'p', access_mode: 'single', credentials_storage: 'nostore' }, 'fetch_resources', 'invalid_fetch_resources'],
    [{ institution: 'tatooine_mx_fiscal', username: 'u', password: 'p', fetch_resources: ['ACCOUNTS'] }, 'resources', 'invalid'],
  ])('validates as Belvo does: %j → 400 on %s (%s)', async (body, field, code) => {
    const { call } = setup();
    const response = await call('POST', body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('needs no password for IMSS (planet_mx_employment), and refuses bad credentials with login_error', async () => {
    const { call } = setup();
    expect((await call('POST', { institution: 'planet_mx_employment', username: 'CURP000000HDFXXX00' })).status).toBe(201);
    const refused = await call('POST', { institution: 'erebor_mx_retail', username: 'user_invalid', password: 'x' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual([expect.objectContaining({ code: 'login_error', message: 'Invalid credentials provided to login to the institution' })]);
  });

  it('answers PATCH with a malformed or unknown session clearly', async () => {
    const { call } = setup();
    const malformed = await call('PATCH', { session: 'nope', link: 'x' });
    expect(await malformed.json()).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'session' }), expect.objectContaining({ field: 'link' })]));
    const unknown = await call('PATCH', { session: 'a'.repeat(32), link: '00000000-0000-4000-8000-000000000000', token: '1' });
    expect(await unknown.json()).toEqual([expect.objectContaining({ code: 'session_expired' })]);
  });
});
