import type * as z from 'zod/mini';
import { belvoErrorListSchema, type BelvoError } from '../../contract/errors.ts';

/**
 * The one error type of the SPA. Belvo's errors and Linkdesk's own share a shape (an array of
 * `{code, message, request_id, field?}`), so every failure carries a code, a message and, where
 * anyone answered, a request_id a person can quote to support.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: BelvoError[];
  readonly retryAfterSeconds: number | null;
  /** The raw body, for 428s whose extra fields (session, token_generation_data) matter. */
  readonly body: unknown;

  constructor(status: number, errors: BelvoError[], options: { retryAfterSeconds?: number | null; body?: unknown } = {}) {
    super(errors[0]?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.body = options.body;
  }

  get code(): string {
    return this.errors[0]?.code ?? 'unknown_error';
  }

  get requestId(): string | null {
    return this.errors.find((error) => error.request_id)?.request_id ?? null;
  }

  fieldErrors(field: string): BelvoError[] {
    return this.errors.filter((error) => error.field === field);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export interface ApiRequest<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | undefined | null>;
  json?: unknown;
  headers?: Record<string, string>;
  schema?: z.ZodMiniType<T, unknown>;
  signal?: AbortSignal;
}

export interface ApiResult<T> {
  status: number;
  data: T;
}

function toQuery(query: ApiRequest<unknown>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls Linkdesk's server (never Belvo). The custom header marks the request as the SPA's own,
 * which the server requires on anything that changes state.
 */
export async function apiRequest<T = unknown>(path: string, request: ApiRequest<T> = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-linkdesk-csrf': '1', ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  }
  let response: Response;
  try {
    response = await fetch(`${path}${toQuery(request.query)}`, {
      method: request.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: request.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, [
      { code: 'network_error', message: "Linkdesk's server could not be reached. Check your connection and try again." },
    ]);
  }
  const text = response.status === 204 ? '' : await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const errors = belvoErrorListSchema.safeParse(parsed);
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      errors.success
        ? errors.data
        : [{ code: 'bad_response', message: `The server answered HTTP ${response.status} without details. Try again.` }],
      { retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null, body: parsed },
    );
  }
  if (request.schema) {
    const checked = request.schema.safeParse(parsed);
    if (!checked.success) {
      // /bff answers are Linkdesk's own (src/contract/bff); /api answers are Belvo's, passed through.
      const who = path.startsWith('/bff/') ? "Linkdesk's server" : 'Belvo';
      throw new ApiError(response.status, [
        { code: 'unexpected_response', message: `${who} answered in a shape Linkdesk does not understand. Try again; report it if it repeats.` },
      ]);
    }
    return { status: response.status, data: checked.data };
  }
  return { status: response.status, data: parsed as T };
}
