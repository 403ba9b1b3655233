import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { indexSyncAcceptedSchema } from '../../../contract/bff/link-index.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { indexQueries } from './queries.ts';

// The index's writes and what a finished sync makes stale, apart from its queries: only the
// freshness strip uses them, and it loads with the screens that show it, not with the first screen.

/** Starts a full sync (admin). Sent once per click; the 202's status replaces the cached one at once. */
export function useStartIndexSync() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => (await apiRequest('/bff/index/sync', { method: 'POST', schema: indexSyncAcceptedSchema })).data,
    onSuccess: (accepted) => queryClient.setQueryData(indexQueries.status().queryKey, accepted.status),
    onSettled: () => queryClient.invalidateQueries({ queryKey: indexQueries.status().queryKey }),
  });
}

/**
 * When a sync ends (or the index otherwise moves to a new full sync), what was read from it is
 * stale: re-read the list and the health numbers. Called by the freshness component, which
 * already watches the status.
 */
export function invalidateIndexReads(queryClient: QueryClient) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: indexQueries.lists() }),
    queryClient.invalidateQueries({ queryKey: indexQueries.healthKey() }),
  ]);
}
