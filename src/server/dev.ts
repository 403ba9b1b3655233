import { createServer } from 'vite';
import { resolve } from 'node:path';
import { runServer } from './run-server.ts';

/**
 * `npm run dev`: the API (and simulator) on PORT+1, Vite with hot reload on PORT proxying
 * /api, /bff and /webhooks to it. Open the Vite URL.
 */
const port = Number(process.env.PORT ?? 8080);
const api = await runServer({ ...process.env, PORT: String(port + 1) }, { staticDir: null });
const vite = await createServer({
  root: resolve(import.meta.dirname, '../..'),
  server: {
    host: process.env.HOST ?? '127.0.0.1',
    port,
    strictPort: true,
    proxy: Object.fromEntries(['/api', '/bff', '/webhooks'].map((prefix) => [prefix, { target: api.url, changeOrigin: false }])),
  },
});
await vite.listen();
vite.printUrls();
