import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/store/database.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('removal, role changes and password resets apply to the next request', () => {
  it('a removed user is refused at once, not some seconds later', async () => {
    stack = await createTestStack();
    expect((await stack.as('support')('/bff/operations')).status).toBe(200);
    const support = await stack.stores.users.byUsername('support');
    expect((await stack.request(`/bff/users/${support?.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await stack.as('support')('/bff/operations')).status).toBe(401);
  });

  it('a password reset through the API ends the user’s sessions at once', async () => {
    stack = await createTestStack();
    expect((await stack.as('qa')('/bff/operations')).status).toBe(200);
    const qa = await stack.stores.users.byUsername('qa');
    expect((await stack.request(`/bff/users/${qa?.id}`, { method: 'PATCH', ...json({ password: 'a brand new passphrase' }) })).status).toBe(200);
    expect((await stack.as('qa')('/bff/operations')).status).toBe(401);
  });

  it('a role lowered, a password reset or a removal with the CLI in another process bites on the next request', { timeout: 30_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkdesk-revoke-'));
    stack = await createTestStack({ db: await openDatabase(join(dir, 'linkdesk.sqlite')) });
    const cli = (args: string[], input = '') =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/user.ts', ...args], {
        cwd: resolve(import.meta.dirname, '../..'),
        env: { PATH: process.env.PATH ?? '', LINKDESK_DATA_DIR: dir },
        input,
        encoding: 'utf8',
      });
    const link = stack.sim.links()[0];

    expect((await stack.as('support')(`/api/links/${link?.id}/`)).status).toBe(200);
    expect(cli(['set-role', 'support', 'viewer']).status).toBe(0);
    expect((await stack.as('support')(`/api/links/${link?.id}/`)).status).toBe(401);

    expect((await stack.as('qa')('/bff/operations')).status).toBe(200);
    expect(cli(['reset-password', 'qa', '--password-stdin'], 'another strong passphrase\n').status).toBe(0);
    expect((await stack.as('qa')('/bff/operations')).status).toBe(401);

    expect((await stack.as('viewer')('/bff/operations')).status).toBe(200);
    expect(cli(['remove', 'viewer']).status).toBe(0);
    expect((await stack.as('viewer')('/bff/operations')).status).toBe(401);
    await stack.db.destroy();
  });
});
