import { serveStatic } from '@hono/node-server/serve-static';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

/** Paths the SPA never owns: a miss there is an API 404, not the app shell. */
const apiPrefixes = ['/api/', '/bff/', '/webhooks/'];

/**
 * Serves the built SPA: hashed assets cached for a year (precompressed .br/.gz when present), and
 * index.html, revalidated on every load, for every other GET so deep links like /links/<id> load
 * the app. A file that is not there is a 404, never the app shell: after a deploy, a tab still
 * running the old build asks for chunks that are gone, and an HTML answer to a script request is a
 * white page with MIME errors, while a 404 lets the SPA reload itself onto the new build.
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
  app.get('/assets/*', (c) => c.text('Not found: this file is not part of the running build.', 404, { 'cache-control': 'no-store' }));
  app.use(
    '*',
    serveStatic({
      root: staticDir,
      index: '__no_directory_index__',
      onFound: (_path, c) => {
        c.header('cache-control', 'no-cache');
      },
    }),
  );
  app.get('*', (c, next) => {
    if (apiPrefixes.some((prefix) => c.req.path.startsWith(prefix))) return next();
    // Routes of the SPA have no file extension (ids are UUIDs); a missing file does.
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return c.text('Not found.', 404, { 'cache-control': 'no-store' });
    c.header('cache-control', 'no-cache');
    return c.html(indexHtml);
  });
}
