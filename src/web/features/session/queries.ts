import { useMutation, useQueryClient } from '@tanstack/react-query';
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

/**
 * Signs out, then leaves the signed-in page (`leave`) before forgetting what was read: cleared
 * while the page was still mounted, every query on it fetched again and failed with 401.
 */
export function useSignOut(leave: () => Promise<void>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await apiRequest('/bff/session', { method: 'DELETE' });
    },
    onSettled: async () => {
      await queryClient.cancelQueries();
      queryClient.setQueryData(sessionQueries.current().queryKey, null);
      await leave();
      // Nothing read while signed in stays in memory for the next person at this browser (which
      // Belvo this is, shown on the sign-in page too, is not theirs).
      const kept = new Set<unknown>([sessionQueries.current().queryKey[0], metaQueries.meta().queryKey[0]]);
      queryClient.removeQueries({ predicate: (query) => !kept.has(query.queryKey[0]) });
    },
  });
}
