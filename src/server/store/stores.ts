import type { Clock } from '../../contract/clock.ts';
import { createAuditLog } from './audit.ts';
import type { Db } from './database.ts';
import { createOidcStore } from './oidc.ts';
import { createOperationsStore } from './operations.ts';
import { createSessionStore } from './sessions.ts';
import { createSignInFailureStore } from './sign-in-failures.ts';
import { createUserStore } from './users.ts';

/** Every store over one database: what the app, the CLI and background work are given. */
export function createStores(db: Db, clock: Clock) {
  return {
    operations: createOperationsStore(db, clock),
    users: createUserStore(db, clock),
    sessions: createSessionStore(db, clock),
    signInFailures: createSignInFailureStore(db, clock),
    audit: createAuditLog(db, clock),
    oidc: createOidcStore(db, clock),
  };
}
export type Stores = ReturnType<typeof createStores>;
