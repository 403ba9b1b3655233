import { runServer } from './run-server.ts';

/** The API alone, without building or serving the SPA (benchmarks, a headless deployment). */
const server = await runServer(process.env, { staticDir: null });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
