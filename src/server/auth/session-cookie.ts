import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it),
 * and over HTTPS `Secure` with the `__Host-` prefix (no subdomain can set or shadow it).
 */
export function sessionCookie(secure: boolean) {
  const name = secure ? '__Host-linkdesk_session' : 'linkdesk_session';
  const options = { path: '/', httpOnly: true, sameSite: 'Strict' as const, secure, ...(secure ? { prefix: 'host' as const } : {}) };
  const bare = 'linkdesk_session';
  return {
    name,
    read: (c: Context) => (secure ? getCookie(c, bare, 'host') : getCookie(c, bare)) ?? null,
    write(c: Context, token: string, expiresAt: Date) {
      setCookie(c, bare, token, { ...options, expires: expiresAt });
    },
    clear(c: Context) {
      deleteCookie(c, bare, options);
    },
  };
}
export type SessionCookie = ReturnType<typeof sessionCookie>;
