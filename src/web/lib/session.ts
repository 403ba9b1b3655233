import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiRequest, isApiError } from './api-client.ts';

export const roleNames = ['viewer', 'support', 'qa', 'admin'] as const;
export type RoleName = (typeof roleNames)[number];

export const sessionSchema = z.object({
  user: z.object({ username: z.string(), role: z.enum(roleNames) }),
  permissions: z.array(z.string()),
});
export type Session = z.infer<typeof sessionSchema>;

export type Permission =
  | 'links:read'
  | 'links:delete'
  | 'links:refresh'
  | 'links:resume'
  | 'links:register'
  | 'sim:control'
  | 'audit:read'
  | 'users:manage';

/** Who is signed in (null when nobody is). The server decides; the SPA only mirrors it. */
export const sessionQueries = {
  current: () =>
    queryOptions({
      queryKey: ['session'],
      queryFn: async ({ signal }): Promise<Session | null> => {
        try {
          return (await apiRequest('/bff/session', { schema: sessionSchema, signal })).data;
        } catch (error) {
          if (isApiError(error) && error.status === 401) return null;
          throw error;
        }
      },
      staleTime: 60_000,
    }),
};

export function can(session: Session | null | undefined, permission: Permission): boolean {
  return session?.permissions.includes(permission) ?? false;
}

/** A path inside Linkdesk to return to after signing in; anything else (another site) becomes /links. */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/links';
  if (target.startsWith('/sign-in')) return '/links';
  return target;
}
