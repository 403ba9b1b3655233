import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { oidcSignInProblems, signInMethodsSchema, signOutSchema, type OidcSignInProblem } from '../../../contract/bff/oidc.ts';
import { apiRequest } from '../../lib/api-client.ts';
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

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const { status, data } = await apiRequest('/bff/session', { method: 'DELETE' });
      // An SSO session ends at the provider too (RP-initiated logout), which sends the browser back to /sign-in.
      const checked = status === 200 ? signOutSchema.safeParse(data) : null;
      if (checked?.success) window.location.assign(checked.data.end_session_url);
    },
    onSettled: () => {
      // Nothing read while signed in stays in memory for the next person at this browser.
      queryClient.clear();
      queryClient.setQueryData(sessionQueries.current().queryKey, null);
    },
  });
}
