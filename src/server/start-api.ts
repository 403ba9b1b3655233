import { handleProcessEnd } from './background/shutdown.ts';
import { runServer } from './run-server.ts';

/** The API alone, without building or serving the SPA (benchmarks, a headless deployment). */
const server = await runServer(process.env, { staticDir: null });
handleProcessEnd({ logger: server.logger, close: server.close });
