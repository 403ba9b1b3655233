import type { Logger } from 'pino';
import type { Clock } from '../../contract/clock.ts';
import type { BelvoClient } from '../belvo/client.ts';
import type { EventBus } from '../events.ts';
import type { Stores } from '../store/stores.ts';
import { createActionReconciliation } from './action-reconciliation.ts';
import { createInFlight } from './in-flight.ts';
import { defaultRateLimit, type BelvoMode, type IndexConfig, type JobsConfig, type RateLimitConfig } from '../config.ts';
import { createBulkJobs } from './bulk-jobs.ts';
import { defaultMaxLinksPerJob } from '../../contract/bff/jobs.ts';
import { createLinkIndexService, type IndexSyncHandle } from './link-index.ts';
import { createLinkOperations } from './link-operations.ts';
import { createMfaSessions } from './mfa-sessions.ts';
import { createSignInThrottle } from './sign-in-throttle.ts';
import { createUserAdmin } from './user-admin.ts';
import { createWebhookIntake } from './webhook-intake.ts';

/** The domain services over one set of stores; what routes (and later background work) call. */
export function createServices(deps: {
  belvo: BelvoClient;
  clock: Clock;
  stores: Stores;
  events: EventBus;
  logger: Logger;
  /** The link index's sync (background/index-sync.ts), built over `stores.linkIndex`. */
  indexSync: IndexSyncHandle;
  index: IndexConfig;
  /** For bulk jobs: the confirmation phrase names production; the estimate uses the limiter's pace. */
  mode?: BelvoMode;
  rateLimit?: RateLimitConfig;
  jobs?: JobsConfig;
}) {
  const { belvo, clock, stores, events } = deps;
  const linkIndex = createLinkIndexService({
      store: stores.linkIndex,
      sync: deps.indexSync,
      clock,
      belvo,
      events,
      logger: deps.logger,
      thresholds: { refreshRateFactor: deps.index.staleRefreshFactor, brokenDays: deps.index.staleBrokenDays },
  });
  const linkOperations = createLinkOperations({
    belvo,
    clock,
    events,
    operations: stores.operations,
    audit: stores.audit,
    inFlight: createInFlight({ flights: stores.flights, clock }),
    mfaSessions: createMfaSessions(clock, stores.mfaSessions),
  });
  return {
    linkIndex,
    linkOperations,
    bulkJobs: createBulkJobs({
      jobs: stores.jobs,
      operations: stores.operations,
      linkIndex,
      linkOperations,
      audit: stores.audit,
      events,
      clock,
      logger: deps.logger,
      mode: deps.mode ?? 'simulator',
      maxLinksPerJob: deps.jobs?.maxLinksPerJob ?? defaultMaxLinksPerJob,
      rateLimit: deps.rateLimit ?? defaultRateLimit,
    }),
    userAdmin: createUserAdmin(stores),
    signInThrottle: createSignInThrottle({ throttle: stores.throttle, audit: stores.audit }),
    actionReconciliation: createActionReconciliation({ audit: stores.audit, belvo, users: stores.users }),
    webhookIntake: createWebhookIntake({ operations: stores.operations, audit: stores.audit, events, clock }),
  };
}
export type Services = ReturnType<typeof createServices>;
