import { handleProcessEnd } from './background/shutdown.ts';
import { main } from './main.ts';

/** The API alone, without building or serving the SPA (benchmarks, a headless deployment). */
const server = await main(process.env, { staticDir: null });
handleProcessEnd({ logger: server.logger, close: server.close });
