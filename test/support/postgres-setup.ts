import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway PostgreSQL cluster's admin URL, or null when PostgreSQL is not installed (local runs only). */
    postgresUrl: string | null;
  }
}

/** Debian's PostgreSQL (apt-get install -y postgresql: 15 on bookworm), newest first, else whatever is on PATH. */
function findBinaries(): { initdb: string; pgCtl: string } | null {
  const debian = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => `/usr/lib/postgresql/${version}/bin`)
    : [];
  const dirs = [process.env.POSTGRES_BIN_DIR, ...debian, ...(process.env.PATH ?? '').split(':')].filter(Boolean) as string[];
  for (const dir of dirs) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    if (existsSync(initdb) && existsSync(pgCtl)) return { initdb, pgCtl };
  }
  return null;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

/**
 * A throwaway PostgreSQL cluster from Debian's binaries: initdb into a temporary folder, then
 * pg_ctl start on a free port (TCP on 127.0.0.1 and a socket in the same folder), trust auth, no
 * fsync. initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
 * Null when no PostgreSQL is installed. Also used by the bench.
 */
export async function startThrowawayCluster(): Promise<{ url: string; stop(): void } | null> {
  const binaries = findBinaries();
  if (!binaries) return null;
  const dir = mkdtempSync(join(tmpdir(), 'linkdesk-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const run = (file: string, args: string[]) => {
    const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
    execFileSync(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  };
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  run(binaries.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  run(binaries.pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(binaries.pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Starts a throwaway cluster for the node and e2e tests; each test file makes its own database in
 * it (test/support/postgres.ts). On CI a missing PostgreSQL is an error; on a laptop without it
 * the PostgreSQL tests are skipped with a warning, as the browser journeys are without Chromium.
 */
export default async function setup(project: TestProject) {
  const cluster = await startThrowawayCluster();
  if (!cluster) {
    const message = 'No PostgreSQL found (install Debian’s: apt-get install -y postgresql, or set POSTGRES_BIN_DIR).';
    if (process.env.CI) throw new Error(`${message} The PostgreSQL tests are required on CI.`);
    console.warn(`\n⚠ ${message} Skipping the PostgreSQL tests; the store tests run against SQLite only.\n`);
    project.provide('postgresUrl', null);
    return () => {};
  }
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
