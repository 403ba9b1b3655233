import { useMutation, useQueryClient } from '@tanstack/react-query';
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

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await apiRequest('/bff/session', { method: 'DELETE' });
    },
    onSettled: () => {
      // Nothing read while signed in stays in memory for the next person at this browser.
      queryClient.clear();
      queryClient.setQueryData(sessionQueries.current().queryKey, null);
    },
  });
}
