import type { SessionUser } from './store/sessions.ts';

/** Per-request values the middleware and routes share. */
export interface AppEnv {
  Variables: {
    belvoRequestId: string | undefined;
    linkdeskRequestId: string | undefined;
    user: SessionUser | undefined;
  };
}
