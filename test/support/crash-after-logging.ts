import { handleProcessEnd } from '../../src/server/background/shutdown.ts';
import { createLogger } from '../../src/server/logger.ts';

/** A process that logs a request line (buffered), then hits an error nothing catches. */
const logger = createLogger({ level: 'info' });
handleProcessEnd({ logger, close: async () => {} });
logger.info({ method: 'GET', path: '/bff/meta', status: 200 }, 'request');
setTimeout(() => {
  throw new Error('boom: something nobody caught');
}, 20);
