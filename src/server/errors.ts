import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';

/**
 * The proxy's own errors use Belvo's shape (an array of `{code, message, request_id, field?}`), so
 * the SPA has one error type whoever answered. Messages say what happened and what to do.
 */
export interface ProxyErrorItem {
  code: string;
  message: string;
  field?: string;
}

/**
 * An answer as the services produce it, before (or without) HTTP: Belvo's relayed answer or
 * Linkdesk's own. Routes turn it into a Response with `respond`; in-flight twins share one.
 */
export interface Outcome {
  status: number;
  body: string | null;
  headers: Record<string, string>;
  /** For the audit record only; never sent. */
  externalId?: string | null;
  /** Belvo's request_id, for the request log. */
  belvoRequestId?: string;
  /** Set when Linkdesk itself answered: the request_id in its error body, for the request log. */
  linkdeskRequestId?: string;
  /** Nothing reached Belvo: the request was no longer wanted when its rate-limit turn came. */
  notSent?: true;
}

export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export function errorOutcome(status: number, items: ProxyErrorItem[], headers: Record<string, string> = {}): Outcome {
  const requestId = newRequestId();
  return {
    status,
    body: JSON.stringify(items.map((item) => ({ ...(item.field ? { field: item.field } : {}), code: item.code, message: item.message, request_id: requestId }))),
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    linkdeskRequestId: requestId,
  };
}

/** The HTTP answer for an outcome; its request ids go to the request log line. */
export function respond(c: Context, outcome: Outcome, extraHeaders: Record<string, string> = {}) {
  const context = c as Context<AppEnv>;
  // Logged with the request line, so a request_id a user quotes can be found.
  if (outcome.linkdeskRequestId) context.set('linkdeskRequestId', outcome.linkdeskRequestId);
  if (outcome.belvoRequestId) context.set('belvoRequestId', outcome.belvoRequestId);
  return new Response(outcome.body, { status: outcome.status, headers: { ...outcome.headers, ...extraHeaders } });
}

export function errorResponse(c: Context, status: number, items: ProxyErrorItem[], headers: Record<string, string> = {}) {
  return respond(c, errorOutcome(status, items, headers));
}

const requestIdInBody = /"request_id"\s*:\s*"([A-Za-z0-9-]{8,64})"/;

/** The code and message of the first item of Belvo's error array; nulls when the body is not one. */
export function firstError(bodyText: string | null): { code: string | null; message: string | null } {
  if (!bodyText) return { code: null, message: null };
  try {
    const parsed = JSON.parse(bodyText) as unknown;
    const first = Array.isArray(parsed) ? (parsed[0] as { code?: unknown; message?: unknown } | undefined) : undefined;
    return { code: typeof first?.code === 'string' ? first.code : null, message: typeof first?.message === 'string' ? first.message : null };
  } catch {
    return { code: null, message: null };
  }
}

/** Belvo's request_id from a small answer (errors, 202s), for the request log. */
export function findRequestId(bodyText: string): string | undefined {
  if (bodyText.length > 65_536) return undefined;
  return requestIdInBody.exec(bodyText)?.[1];
}
