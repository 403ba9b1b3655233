import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/**
 * The known-browser cookie of the sign-in throttle: HttpOnly, SameSite=Strict, 180 days. Over
 * HTTPS it is `__Host-` (Path=/); over plain HTTP it is scoped to the sign-in endpoint.
 */
export function deviceCookie(secure: boolean, lifetimeMs: number) {
  const name = 'linkdesk_device';
  const options = { httpOnly: true, sameSite: 'Strict' as const, secure, maxAge: Math.floor(lifetimeMs / 1000) };
  return {
    read: (c: Context) => (secure ? getCookie(c, name, 'host') : getCookie(c, name)) ?? null,
    write(c: Context, token: string) {
      if (secure) setCookie(c, name, token, { ...options, path: '/', prefix: 'host' });
      else setCookie(c, name, token, { ...options, path: '/bff/session' });
    },
  };
}
export type DeviceCookie = ReturnType<typeof deviceCookie>;
