import { serveStatic } from '@hono/node-server/serve-static';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

/** Paths the SPA never owns: a miss there is an API 404, not the app shell. */
const apiPrefixes = ['/api/', '/bff/', '/webhooks/'];

/**
 * Serves the built SPA: hashed assets cached for a year (precompressed .br/.gz when present), and
 * index.html for every other GET so deep links like /links/<id> load the app.
 */
export function mountStatic(app: Hono<AppEnv>, staticDir: string) {
  const indexHtml = readFileSync(join(staticDir, 'index.html'), 'utf8');
  app.use(
    '/assets/*',
    serveStatic({
      root: staticDir,
      precompressed: true,
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.use('*', serveStatic({ root: staticDir, index: '__no_directory_index__' }));
  app.get('*', (c, next) => {
    if (apiPrefixes.some((prefix) => c.req.path.startsWith(prefix))) return next();
    c.header('cache-control', 'no-cache');
    return c.html(indexHtml);
  });
}
