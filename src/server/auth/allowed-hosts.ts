import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';

export const defaultAllowedHosts = ['localhost', '127.0.0.1', '[::1]'];

/**
 * DNS rebinding: a page on another name that resolves to Linkdesk's address reaches it with that
 * name in Host, and would pass an Origin check built from Host. Only Linkdesk's own names are
 * answered. Webhooks are exempt: Belvo authenticates them with their own header, and the built-in
 * simulator delivers them to an internal name.
 */
export function hostGuard(allowedHosts: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedHosts);
  return async (c, next) => {
    if (c.req.path.startsWith('/webhooks/')) return next();
    const hostname = new URL(c.req.url).hostname.toLowerCase();
    if (!allowed.has(hostname)) {
      return errorResponse(c, 421, [
        {
          code: 'unknown_host',
          message: `Linkdesk does not answer to ${hostname.slice(0, 100)}. Open it at its own address; an operator can add names with LINKDESK_ALLOWED_HOSTS.`,
        },
      ]);
    }
    return next();
  };
}
