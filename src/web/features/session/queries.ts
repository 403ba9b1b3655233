import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { oidcSignInProblems, signInMethodsSchema, signOutSchema, type OidcSignInProblem } from '../../../contract/bff/oidc.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { metaQueries } from '../../shared/meta/meta.ts';
import { sessionQueries, sessionSchema } from '../../shared/session/session.ts';

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: { username: string; password: string }) =>
      (await apiRequest('/bff/session', { method: 'POST', json: credentials, schema: sessionSchema })).data,
    onSuccess: (session) => {
      queryClient.setQueryData(sessionQueries.current().queryKey, session);
    },
  });
}

/** What the sign-in page offers: the provider's button, the password form, or both. */
export const signInMethodsQueries = {
  methods: () =>
    queryOptions({
      queryKey: ['sign-in-methods'],
      queryFn: async ({ signal }) => (await apiRequest('/bff/sign-in-methods', { schema: signInMethodsSchema, signal })).data,
      staleTime: Number.POSITIVE_INFINITY,
    }),
};

/** The `sso_error` a failed SSO sign-in lands with, if it is one Linkdesk knows. */
export const ssoProblemOf = (value: string | undefined): OidcSignInProblem | null =>
  (oidcSignInProblems as readonly string[]).includes(value ?? '') ? (value as OidcSignInProblem) : null;

/**
 * Signs out, then leaves the signed-in page (`leave`) before forgetting what was read: cleared
 * while the page was still mounted, every query on it fetched again and failed with 401.
 */
export function useSignOut(leave: () => Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { status, data } = await apiRequest('/bff/session', { method: 'DELETE' });
      // An SSO session ends at the provider too (RP-initiated logout), which sends the browser back to /sign-in.
      const checked = status === 200 ? signOutSchema.safeParse(data) : null;
      if (checked?.success) window.location.assign(checked.data.end_session_url);
    },
    onSettled: async () => {
      await queryClient.cancelQueries();
      queryClient.setQueryData(sessionQueries.current().queryKey, null);
      await leave();
      // Nothing read while signed in stays in memory for the next person at this browser (which
      // Belvo this is, and how one signs in here, shown on the sign-in page too, are not theirs).
      const kept = new Set<unknown>([sessionQueries.current().queryKey[0], metaQueries.meta().queryKey[0], signInMethodsQueries.methods().queryKey[0]]);
      queryClient.removeQueries({ predicate: (query) => !kept.has(query.queryKey[0]) });
    },
  });
}
