import { Agent, request as undiciRequest } from 'undici';

/**
 * The upstream Belvo client: the only code that puts the secret keys on the wire. It takes its
 * base URL and keys from the caller, and either a `fetch` (tests hand it the simulator in-process)
 * or, by default, undici's request API over a keep-alive pool: about half a millisecond cheaper
 * per call than `fetch` on this machine, which is most of the proxy's latency budget.
 * It never retries: a delete or a refresh must reach Belvo at most once per click.
 */
export interface BelvoClientOptions {
  baseUrl: string;
  secretId: string;
  secretPassword: string;
  fetch?: typeof fetch;
  timeoutMs: number;
  userAgent?: string;
}

interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
}

interface TransportResponse {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  bodyText: string;
}

type Transport = (request: TransportRequest) => Promise<TransportResponse>;

function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (request) => {
    const response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      bodyText: await response.text(),
    };
  };
}

function undiciTransport(timeoutMs: number): Transport {
  // Timeouts live on the pool rather than on a per-request AbortSignal: no timer per call.
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const header = (value: string | string[] | undefined) => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));
  return async (request) => {
    const response = await undiciRequest(request.url, {
      method: request.method as 'GET',
      headers: request.headers,
      body: request.body,
      dispatcher: agent,
      ...(request.timeoutMs === timeoutMs ? {} : { headersTimeout: request.timeoutMs, bodyTimeout: request.timeoutMs }),
    });
    return {
      status: response.statusCode,
      contentType: header(response.headers['content-type']),
      retryAfter: header(response.headers['retry-after']),
      bodyText: await response.body.text(),
    };
  };
}

export interface BelvoRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** A path Linkdesk built itself from validated parts, e.g. `/api/links/<uuid>/`. */
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** For the shared rate limit (`rate-limiter.ts`): a person waiting, or background work. Default interactive. */
  priority?: 'interactive' | 'background';
  /**
   * Background work's last word, asked when its rate-limit slot is granted (which can be many
   * seconds after it asked): false gives the slot back and nothing is sent (`UpstreamError`
   * `not_sent`). A bulk job paused or cancelled meanwhile sends nothing more.
   */
  stillWanted?: () => boolean | Promise<boolean>;
}

export interface BelvoResponse {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  bodyText: string;
  durationMs: number;
}

export class UpstreamError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'not_sent',
    message: string,
    readonly durationMs: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export function createBelvoClient(options: BelvoClientOptions) {
  const authorization = `Basic ${Buffer.from(`${options.secretId}:${options.secretPassword}`).toString('base64')}`;
  const userAgent = options.userAgent ?? 'linkdesk/0.1';
  const transport = options.fetch ? fetchTransport(options.fetch) : undiciTransport(options.timeoutMs);
  return {
    origin: options.baseUrl,
    async send(request: BelvoRequest): Promise<BelvoResponse> {
      const query = request.query?.toString();
      const url = `${options.baseUrl}${request.path}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = {
        ...request.headers,
        accept: 'application/json',
        authorization,
        'user-agent': userAgent,
      };
      let body: string | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.json);
      }
      const started = performance.now();
      const timeoutMs = request.timeoutMs ?? options.timeoutMs;
      try {
        const response = await transport({ url, method: request.method, headers, body, timeoutMs });
        return { ...response, durationMs: performance.now() - started };
      } catch (error) {
        const durationMs = performance.now() - started;
        const failure = error as Error & { code?: string; cause?: unknown };
        if (
          ['TimeoutError', 'AbortError', 'RequestAbortedError', 'HeadersTimeoutError', 'BodyTimeoutError'].includes(failure.name) ||
          ['UND_ERR_ABORTED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'].includes(failure.code ?? '')
        ) {
          throw new UpstreamError('timeout', `Belvo did not answer within ${Math.round(timeoutMs / 1000)} s`, durationMs);
        }
        // Say why (refused, reset, DNS) but nothing else: the request's headers are never quoted.
        const reason = failure.cause instanceof Error ? failure.cause.message : (failure.code ?? failure.message);
        throw new UpstreamError('network', `Belvo could not be reached (${reason})`, durationMs);
      }
    },
  };
}
export type BelvoClient = ReturnType<typeof createBelvoClient>;
