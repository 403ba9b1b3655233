import { UpstreamError, type BelvoClient, type BelvoRequest, type BelvoResponse } from '../belvo/client.ts';
import { errorOutcome, findRequestId, type Outcome } from '../errors.ts';

export interface ForwardOptions {
  /** Rewrite Belvo's absolute `next`/`previous` URLs to this proxy's own paths. */
  rewritePageLinks?: boolean;
  /** For writes: what to tell the user when the outcome is unknown (timeout, dropped connection). */
  unknownOutcome?: string;
}

/**
 * Sends one validated request to Belvo and hands its answer back as it came: status, body, the
 * Retry-After of a 429. Nothing else of Belvo's headers crosses (no cookies, no auth challenges).
 */
export async function forward(belvo: BelvoClient, request: BelvoRequest, options: ForwardOptions = {}): Promise<Outcome> {
  let upstream: BelvoResponse;
  try {
    upstream = await belvo.send(request);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    if (error.kind === 'not_sent') return { ...errorOutcome(409, [{ code: 'not_sent', message: `${error.message}; nothing reached Belvo.` }]), notSent: true };
    const unknown = options.unknownOutcome ? ` ${options.unknownOutcome}` : ' Nothing was changed; try again.';
    if (error.kind === 'timeout') {
      return errorOutcome(504, [{ code: 'belvo_timeout', message: `${error.message}.${unknown}` }]);
    }
    return errorOutcome(502, [{ code: 'belvo_unreachable', message: `${error.message}.${unknown}` }]);
  }
  return relay(belvo, upstream, options);
}

function relay(belvo: BelvoClient, upstream: BelvoResponse, options: ForwardOptions): Outcome {
  // Belvo puts request_id in error bodies and 202s; a 200 page has none, so it is not scanned.
  const belvoRequestId = upstream.status === 200 ? undefined : findRequestId(upstream.bodyText);
  const withBelvoId = (outcome: Outcome): Outcome => (belvoRequestId ? { ...outcome, belvoRequestId } : outcome);

  if (upstream.status === 401) {
    // Belvo rejected *Linkdesk's* keys; the person using the console can't fix that by signing in again.
    return withBelvoId(
      errorOutcome(502, [
        {
          code: 'belvo_authentication_failed',
          message: `Belvo rejected Linkdesk's API keys${belvoRequestId ? ` (Belvo request ${belvoRequestId})` : ''}. An operator must check BELVO_SECRET_ID, BELVO_SECRET_PASSWORD and BELVO_ENV.`,
        },
      ]),
    );
  }
  const isJson = upstream.contentType?.includes('json') ?? false;
  if (!isJson && upstream.status !== 204) {
    return withBelvoId(
      errorOutcome(502, [
        {
          code: 'belvo_bad_response',
          message: `Belvo answered HTTP ${upstream.status} without the usual JSON body. Try again in a minute; if it persists, check Belvo's status page.`,
        },
      ]),
    );
  }
  let body = upstream.bodyText;
  if (options.rewritePageLinks && upstream.status === 200) {
    // `next`/`previous` are absolute Belvo URLs; point them at this proxy instead. They come first
    // in Belvo's envelope (count, next, previous, results), so only the head is rewritten and the
    // rest of a large page is not copied.
    const cut = Math.min(body.length, 4096);
    const head = body.slice(0, cut);
    if (head.includes(belvo.origin)) body = head.split(`"${belvo.origin}/api/`).join('"/api/') + body.slice(cut);
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (upstream.status !== 204) headers['content-type'] = 'application/json';
  if (upstream.retryAfter && upstream.status === 429) headers['retry-after'] = upstream.retryAfter;
  return withBelvoId({ status: upstream.status, body: upstream.status === 204 ? null : body, headers });
}
