import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { handleProcessEnd } from './background/shutdown.ts';
import { runServer } from './run-server.ts';

/**
 * `npm start`: build the SPA if the sources are newer than dist/, then serve it and the API on one
 * port. A fresh clone needs nothing but `npm install` first.
 */
const root = resolve(import.meta.dirname, '../..');
// Tests build into a directory of their own and point here, so they never touch the dist/ that a
// running Linkdesk is serving.
const distDir = process.env.LINKDESK_DIST_DIR ? resolve(process.env.LINKDESK_DIST_DIR) : join(root, 'dist');
const inputs = ['index.html', 'vite.config.ts', 'tailwind.config.ts', 'package.json', 'src/web', 'src/contract', 'public'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stats.mtimeMs);
}

async function buildIfNeeded() {
  const built = join(distDir, 'index.html');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(...inputs.map((input) => newestMtime(join(root, input))));
  if (builtAt >= sourcesAt) return;
  console.log(builtAt === 0 ? 'Building the app (first start)…' : 'Sources changed since the last build; rebuilding…');
  const { build } = await import('vite');
  await build({ root, logLevel: 'warn', configFile: join(root, 'vite.config.ts'), build: { outDir: distDir } });
}

await buildIfNeeded();
const server = await runServer(process.env, { staticDir: distDir });
handleProcessEnd({ logger: server.logger, close: server.close });
