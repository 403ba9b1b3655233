import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runServer, type RunningServer } from '../../src/server/run-server.ts';

let server: RunningServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` on a fresh data folder; what it printed. */
async function firstStart(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'linkdesk-first-start-'));
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.join(' '));
  });
  try {
    server = await runServer({ PORT: '0', LINKDESK_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env }, { staticDir: null });
  } finally {
    log.mockRestore();
  }
  return printed.join('\n');
}

describe('a first start on the simulator', () => {
  it('prints one demo account per role when people sign in with passwords', { timeout: 30_000 }, async () => {
    const printed = await firstStart({});
    expect(printed).toContain('Demo accounts for the simulator');
    for (const role of ['viewer', 'support', 'qa', 'admin']) expect(printed).toMatch(new RegExp(`^\\s+${role}\\s+\\S{12,}$`, 'm'));
  });

  it('creates and prints no passwords when local sign-in is off, since nobody could use them', { timeout: 30_000 }, async () => {
    const printed = await firstStart({
      LINKDESK_LOCAL_SIGN_IN: 'false',
      // A provider that is not there: Linkdesk starts anyway and says so.
      LINKDESK_OIDC_ISSUER: 'http://127.0.0.1:9/realms/staff',
      LINKDESK_OIDC_CLIENT_ID: 'linkdesk',
      LINKDESK_OIDC_CLIENT_SECRET: 'not-a-real-secret',
      LINKDESK_OIDC_ROLE_MAP: 'linkdesk-admins=admin',
    });
    expect(printed).not.toContain('Demo accounts');
    expect(printed).toContain('No staff accounts yet; people who sign in with the provider are added');
    const signIn = await fetch(`${server?.url}/bff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' },
      body: JSON.stringify({ username: 'admin', password: 'anything-at-all-1' }),
    });
    expect(signIn.status).toBeGreaterThanOrEqual(400);
  });
});
