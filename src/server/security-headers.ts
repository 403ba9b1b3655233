import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * Headers for every answer. Scripts only from this origin; no framing; no referrer leaks of link ids.
 * `style-src 'unsafe-inline'` is the one concession: the dialog library's scroll lock injects a
 * <style> element; scripts stay strict, which is what stops injected code.
 */
export function securityHeaders(options: { https: boolean }) {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: options.https ? 'max-age=31536000; includeSubDomains' : false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [] },
  });
}

/** Every answer of ours and every relayed Belvo answer: nothing is kept by browsers or shared caches. */
export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    try {
      c.res.headers.set('cache-control', 'no-store');
    } catch {
      // A response with immutable headers (straight from fetch): copy it.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('cache-control', 'no-store');
    }
  };
}
