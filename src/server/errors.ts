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

export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export function errorResponse(c: Context, status: number, items: ProxyErrorItem[], headers: Record<string, string> = {}) {
  const requestId = newRequestId();
  // Logged with the request line, so a request_id a user quotes can be found.
  (c as Context<AppEnv>).set('linkdeskRequestId', requestId);
  return new Response(
    JSON.stringify(items.map((item) => ({ ...(item.field ? { field: item.field } : {}), code: item.code, message: item.message, request_id: requestId }))),
    { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers } },
  );
}

const requestIdInBody = /"request_id"\s*:\s*"([A-Za-z0-9-]{8,64})"/;

/** Belvo's request_id from a small answer (errors, 202s), for the request log. */
export function findRequestId(bodyText: string): string | undefined {
  if (bodyText.length > 65_536) return undefined;
  return requestIdInBody.exec(bodyText)?.[1];
}
