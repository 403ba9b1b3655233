import { queryOptions } from '@tanstack/react-query';
import { sessionSchema, type Session } from '../../../contract/bff/session.ts';
import { roles as roleNames, type Permission, type Role as RoleName } from '../../../contract/roles.ts';
import { ApiError, apiRequest, isApiError } from '../../lib/api-client.ts';

export { roleNames, sessionSchema, type Permission, type RoleName, type Session };

/** Who is signed in (null when nobody is). The server decides; the SPA only mirrors it. */
export const sessionQueries = {
  current: () =>
    queryOptions({
      queryKey: ['session'],
      queryFn: async ({ signal }): Promise<Session | null> => {
        try {
          // 204: nobody is signed in.
          const answer = await apiRequest('/bff/session', { signal });
          if (answer.status === 204) return null;
          const session = sessionSchema.safeParse(answer.data);
          if (!session.success) throw new ApiError(answer.status, [{ code: 'unexpected_response', message: 'Linkdesk answered in a shape this page does not understand. Reload the page.' }]);
          return session.data;
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
