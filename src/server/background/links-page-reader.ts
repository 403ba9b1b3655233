import type { Logger } from 'pino';
import type { Clock } from '../../contract/clock.ts';
import type { SyncError } from '../../contract/bff/link-index.ts';
import { linksPageSchema, type Link } from '../../contract/links.ts';
import { UpstreamError, type BelvoClient } from '../belvo/client.ts';
import { retryAfterMs, sleepUntil } from '../belvo/rate-limiter.ts';
import { findRequestId, firstError } from '../errors.ts';

export class SyncFailure extends Error {
  constructor(readonly detail: Omit<SyncError, 'at'>) {
    super(detail.message);
    this.name = 'SyncFailure';
  }
}

const iso = (epoch: number) => new Date(epoch).toISOString();

/**
 * Reads one page of `GET /api/links/` as background work for the shared rate limit. 429, 5xx, 408
 * and network failures are retried with exponential backoff (1 s doubling, at most 60 s), never
 * sooner than Belvo's Retry-After, up to `maxAttempts` or until `shouldStop()`; anything else ends
 * in a `SyncFailure` carrying Belvo's request_id.
 */
export function createLinksPageReader({
  belvo,
  clock,
  logger,
  maxAttempts,
  shouldStop,
}: {
  belvo: BelvoClient;
  clock: Clock;
  logger: Logger;
  maxAttempts: number;
  shouldStop: () => boolean;
}) {
return async (query: URLSearchParams): Promise<{ count: number; results: Link[] }> => {
  let backoffMs = 1_000;
  for (let attempt = 1; ; attempt += 1) {
    let retryAt: number | null = null;
    let failure: Omit<SyncError, 'at'>;
    try {
      const response = await belvo.send({ method: 'GET', path: '/api/links/', query, priority: 'background' });
      if (response.status === 200) {
        const parsed = linksPageSchema.safeParse(JSON.parse(response.bodyText));
        if (!parsed.success) {
          throw new SyncFailure({ code: 'unexpected_page', message: 'Belvo answered a links page Linkdesk cannot read.', request_id: null, http_status: 200 });
        }
        return parsed.data;
      }
      const requestId = findRequestId(response.bodyText) ?? null;
      const belvoMessage = firstError(response.bodyText).message ?? undefined;
      failure = {
        code: response.status === 429 ? 'belvo_throttled' : `belvo_${response.status}`,
        message: `Belvo answered ${response.status} to a page of links${belvoMessage ? `: ${belvoMessage}` : ''}.`,
        request_id: requestId,
        http_status: response.status,
      };
      const transient = response.status === 429 || response.status === 408 || response.status >= 500;
      if (!transient) throw new SyncFailure(failure);
      const wait = retryAfterMs(response.retryAfter, clock.now());
      retryAt = clock.now() + Math.max(wait ?? 0, response.status === 429 && wait === null ? 30_000 : backoffMs);
    } catch (error) {
      if (error instanceof SyncFailure) throw error;
      if (!(error instanceof UpstreamError)) throw error;
      failure = { code: `belvo_${error.kind}`, message: error.message, request_id: null, http_status: null };
      retryAt = clock.now() + backoffMs;
    }
    if (attempt >= maxAttempts || shouldStop()) throw new SyncFailure(failure);
    logger.warn({ attempt, http_status: failure.http_status, belvo_request_id: failure.request_id, retry_at: iso(retryAt) }, 'index sync page failed; retrying');
    await sleepUntil(clock, retryAt);
    backoffMs = Math.min(backoffMs * 2, 60_000);
  }
};
}
