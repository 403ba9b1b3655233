import type { Clock } from '../../contract/clock.ts';
import { createAuditLog } from './audit.ts';
import type { AuditCheckpoint } from './audit-key.ts';
import { databaseKind, type Db } from './database.ts';
import { createFlightStore } from './in-flight.ts';
import { createJobStore } from './jobs.ts';
import { createLinkIndexStore } from './link-index.ts';
import { createMfaSessionStore } from './mfa-sessions.ts';
import { createOidcStore } from './oidc.ts';
import { createOperationsStore } from './operations.ts';
import { createSessionStore } from './sessions.ts';
import { createThrottleStore } from './throttle.ts';
import { createUserStore } from './users.ts';

/**
 * Every store over one database: what the app, the CLI and background work are given. The audit
 * key (which also keys the sign-in throttle's hashes) and the audit checkpoint live outside the
 * database and are handed in.
 */
export function createStores(db: Db, clock: Clock, keys: { auditKey: Buffer; auditCheckpoint?: AuditCheckpoint; flightOwner?: string }) {
  return {
    operations: createOperationsStore(db, clock),
    users: createUserStore(db, clock),
    sessions: createSessionStore(db, clock),
    throttle: createThrottleStore(db, clock, keys.auditKey),
    audit: createAuditLog(db, clock, { key: keys.auditKey, checkpoint: keys.auditCheckpoint }),
    linkIndex: createLinkIndexStore(db),
    oidc: createOidcStore(db, clock),
    jobs: createJobStore(db),
    mfaSessions: createMfaSessionStore(db),
    /** Actions in flight to Belvo, shared by the instances on a PostgreSQL database; one process per SQLite file keeps them in memory. */
    flights: databaseKind(db) === 'postgres' ? createFlightStore(db, { owner: keys.flightOwner }) : null,
  };
}
export type Stores = ReturnType<typeof createStores>;
