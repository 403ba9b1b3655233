import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.resume();
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => stdout, exited };
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the request log survives the end of the process', () => {
  it('is written out and the process ends on SIGTERM, even with an event stream open', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkdesk-shutdown-'));
    dirs.push(dir);
    const server = run('src/server/start-api.ts', { PORT: '0', LINKDESK_DATA_DIR: dir, LOG_LEVEL: 'info' });
    const url = await new Promise<string>((done, fail) => {
      const timer = setInterval(() => {
        const match = /Linkdesk listening on (\S+)/.exec(server.output());
        if (match?.[1]) {
          clearInterval(timer);
          done(match[1]);
        }
      }, 50);
      void server.exited.then(() => fail(new Error(`exited early:\n${server.output()}`)));
    });
    const password = /^\s+admin\s+(\S+)$/m.exec(server.output())?.[1] ?? '';
    const signIn = await fetch(`${url}/bff/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-linkdesk-csrf': '1' }, body: JSON.stringify({ username: 'admin', password }) });
    const cookie = /linkdesk_session=[^;]+/.exec(signIn.headers.getSetCookie().join('\n'))?.[0] ?? '';
    const stream = await fetch(`${url}/bff/events`, { headers: { cookie } });
    expect(stream.status).toBe(200);
    void stream.body?.getReader().read();
    for (let i = 0; i < 3; i += 1) await fetch(`${url}/bff/meta?probe=${i}`);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const logged = lines(server.output());
    expect(logged.filter((line) => line.msg === 'request' && line.path === '/bff/meta')).toHaveLength(3);
    expect(logged.some((line) => line.msg === 'shutting down')).toBe(true);
  });

  it('is written out, with the error as a line of its own, when something nobody caught ends the process', { timeout: 30_000 }, async () => {
    const crash = run('test/support/crash-after-logging.ts');
    expect(await crash.exited).toBe(1);
    const logged = lines(crash.output());
    expect(logged.map((line) => line.msg)).toEqual(['request', 'fatal error']);
    expect(logged[1]).toMatchObject({ level: 60, err: { message: 'boom: something nobody caught' } });
  });
});
