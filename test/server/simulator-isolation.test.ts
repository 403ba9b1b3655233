import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { maskSecrets } from '../../src/belvo-sim/create-belvo-sim.ts';
import type { AuditEntry } from '../../src/contract/bff/audit.ts';
import { runServer as main, type RunningServer } from '../../src/server/run-server.ts';

let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Linkdesk as `npm start` builds it (simulator in-process), on a free port and a fresh data folder. */
async function start() {
  dir = mkdtempSync(join(tmpdir(), 'linkdesk-sim-'));
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.join(' '));
  });
  server = await main({ PORT: '0', LINKDESK_DATA_DIR: dir, LOG_LEVEL: 'silent' }, { staticDir: null });
  log.mockRestore();
  const password = (role: string) => new RegExp(`^\\s+${role}\\s+(\\S+)$`, 'm').exec(printed.join('\n'))?.[1] ?? '';
  const url = server.url;
  const signIn = async (role: string) => {
    const response = await fetch(`${url}/bff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' },
      body: JSON.stringify({ username: role, password: password(role) }),
    });
    expect(response.status).toBe(200);
    const cookie = /linkdesk_session=[^;]+/.exec(response.headers.getSetCookie().join('\n'))?.[0] ?? '';
    return (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { cookie, 'x-linkdesk-csrf': '1', 'content-type': 'application/json', ...init.headers } });
  };
  return { signIn };
}

describe('simulator controls reach only the simulator', () => {
  it('a qa user moving the simulator’s clock 12 hours neither signs anyone out nor moves Linkdesk’s time', { timeout: 30_000 }, async () => {
    const { signIn } = await start();
    const admin = await signIn('admin');
    const qa = await signIn('qa');
    const advanced = await qa('/bff/sim/clock/advance', { method: 'POST', body: JSON.stringify({ seconds: 12 * 3600 }) });
    expect(advanced.status).toBe(200);
    const simNow = Date.parse(((await advanced.json()) as { now: string }).now);
    expect(simNow - Date.now()).toBeGreaterThan(11 * 3_600_000);

    expect((await admin('/bff/session')).status).toBe(200);
    expect((await qa('/bff/session')).status).toBe(200);
    const meta = (await (await admin('/bff/meta')).json()) as { server_time: string };
    expect(Math.abs(Date.parse(meta.server_time) - Date.now())).toBeLessThan(60_000);
    await admin('/bff/session', { method: 'DELETE' });
    const entries = ((await (await qa('/bff/audit')).json()) as { entries: AuditEntry[] }).entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(Math.abs(entry.at - Date.now())).toBeLessThan(60_000);
  });

  it('the simulator’s request log masks bank passwords and tokens as the playground’s trace does', { timeout: 30_000 }, async () => {
    const { signIn } = await start();
    const qa = await signIn('qa');
    const registered = await qa('/api/links/', {
      method: 'POST',
      body: JSON.stringify({ institution: 'erebor_mx_retail', username: 'user_valid', password: 'pass_valid', password2: 'second-secret', external_id: 'masking-check' }),
    });
    expect(registered.status).toBe(201);
    const log = await (await qa('/bff/sim/requests')).text();
    expect(log).toContain('masking-check');
    expect(log).not.toContain('pass_valid');
    expect(log).not.toContain('second-secret');
    expect(log).toContain('••••••••••');
  });

  it('masks every secret-looking field, and keeps nothing of a body it cannot read', () => {
    expect(JSON.parse(maskSecrets(JSON.stringify({ username: 'bnk100', password: 'full', token: '123456', private_key: 'AAAA', certificate: 'BBBB', access_mode: 'single' })))).toEqual({
      username: 'bnk100',
      password: '••••',
      token: '••••••',
      private_key: '••••',
      certificate: '••••',
      access_mode: 'single',
    });
    expect(maskSecrets('password=hunter2')).toBe('(16 characters, not JSON)');
  });
});
