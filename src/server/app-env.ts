import type { Logger } from './logger.ts';

export interface SignedInUser {
  id: number;
  username: string;
  role: string;
}

/** Per-request values the middleware and routes share. */
export interface AppEnv {
  Variables: {
    logger: Logger;
    belvoRequestId: string | undefined;
    linkdeskRequestId: string | undefined;
    user: SignedInUser | undefined;
  };
}
