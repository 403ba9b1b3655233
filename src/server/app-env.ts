import type { Logger } from './logger.ts';

/** Per-request values the middleware and routes share. */
export interface AppEnv {
  Variables: {
    logger: Logger;
    belvoRequestId: string | undefined;
    linkdeskRequestId: string | undefined;
  };
}
