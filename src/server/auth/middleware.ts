import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { BelvoMode } from '../config.ts';
import { errorResponse } from '../errors.ts';
import type { AuditAction } from '../../contract/bff/audit.ts';
import type { AuditLog } from '../store/audit.ts';
import type { SessionStore } from '../store/sessions.ts';
import { can, deniedMessage, requiredPermission, type Permission } from './permissions.ts';
import type { SessionCookie } from './session-cookie.ts';

const changesState = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/**
 * Forged requests (OWASP ASVS 5.0 V3.5; the IETF BFF guidance): anything that changes state must
 * carry the SPA's custom header — which a cross-site form or a simple request cannot set — and come
 * from this origin. Checked before anything else, so a forged request never reaches Belvo.
 */
export function csrfGuard(options: { publicOrigin: string | null; allowedHosts: readonly string[] }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!changesState(c.req.method)) return next();
    const path = c.req.path;
    if (!(path.startsWith('/api/') || path.startsWith('/bff/'))) return next();
    // From configuration: the public origin, or this request's address only if it is one of
    // Linkdesk's own names (a rebound DNS name never becomes the expected origin).
    const url = new URL(c.req.url);
    const expectedOrigin = options.publicOrigin ?? (options.allowedHosts.includes(url.hostname.toLowerCase()) ? url.origin : null);
    if (expectedOrigin === null) {
      return errorResponse(c, 403, [{ code: 'csrf_rejected', message: `Linkdesk refused this request because it was sent to ${url.hostname.slice(0, 100)}, which is not Linkdesk's address.` }]);
    }
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    const problem =
      c.req.header('x-linkdesk-csrf') !== '1'
        ? 'it lacks the X-Linkdesk-Csrf header Linkdesk’s own pages send'
        : origin !== undefined && origin !== expectedOrigin
          ? `it comes from ${origin.slice(0, 100)}, not ${expectedOrigin}`
          : fetchSite !== undefined && fetchSite !== 'same-origin'
            ? `the browser marked it ${fetchSite.slice(0, 20)}`
            : null;
    if (problem) {
      return errorResponse(c, 403, [{ code: 'csrf_rejected', message: `Linkdesk refused this request because ${problem}. Use Linkdesk’s own pages.` }]);
    }
    return next();
  };
}

const auditedActions: Partial<Record<Permission, AuditAction>> = {
  'links:delete': 'link.delete',
  'links:refresh': 'link.refresh',
  'links:resume': 'link.mfa_resume',
  'links:register': 'link.register',
  'links:access_mode': 'link.access_mode',
  'links:reconnect': 'link.reconnect',
};

/** Signed in (401 otherwise), then allowed by role (403 otherwise, recorded for sensitive actions). */
export function accessGuard(options: { sessions: SessionStore; cookie: SessionCookie; mode: BelvoMode; audit: AuditLog }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    const needed = requiredPermission(c.req.method, path);
    if (needed === null) return next();
    const token = options.cookie.read(c);
    const user = token ? await options.sessions.resolve(token) : null;
    if (!user) {
      if (token) options.cookie.clear(c);
      return errorResponse(c, 401, [{ code: 'not_authenticated', message: 'Sign in to Linkdesk first; your session may have ended.' }]);
    }
    c.set('user', user);
    if (needed !== 'signed-in' && !can(user.role, needed, options.mode)) {
      const action = auditedActions[needed];
      if (action) {
        const linkId = /^\/(?:api|bff)\/links\/([^/]+)\//.exec(path)?.[1] ?? null;
        const finish = await options.audit.attempt(action, { actor: user.username, role: user.role }, { link_id: linkId });
        await finish('denied', { detail: { reason: 'role' } });
      }
      return errorResponse(c, 403, [{ code: 'forbidden', message: deniedMessage(user.role, needed, options.mode) }]);
    }
    return next();
  };
}

export function currentUser(c: Context<AppEnv>) {
  const user = c.get('user');
  return user ? { actor: user.username, role: user.role } : { actor: 'anonymous', role: null };
}
