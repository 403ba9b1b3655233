import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { duplicateGroupsPageSchema, healthDuplicateGroups, healthSchema } from '../../../contract/bff/link-index.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { indexQueries } from '../../shared/link-index/queries.ts';

/** The account's link health, read from the index (every role). */
export const healthQueries = {
  report: () =>
    queryOptions({
      queryKey: indexQueries.healthKey(),
      queryFn: async ({ signal }) => (await apiRequest('/bff/health', { schema: healthSchema, signal })).data,
      staleTime: 15_000,
    }),
  /**
   * The duplicate groups after the ones the report carries, a page at a time. Pages are as long as
   * the report's share, so page 2 starts with the first group the report left out. Under the
   * report's key, so whatever makes the report stale (an index change) makes these stale too.
   */
  moreDuplicateGroups: () =>
    infiniteQueryOptions({
      queryKey: [...indexQueries.healthKey(), 'duplicate-groups'] as const,
      queryFn: async ({ signal, pageParam }) =>
        (await apiRequest(`/bff/health/duplicates?page=${pageParam}&page_size=${healthDuplicateGroups}`, { schema: duplicateGroupsPageSchema, signal })).data,
      initialPageParam: 2,
      getNextPageParam: (last) => (last.page * last.page_size < last.count ? last.page + 1 : undefined),
      staleTime: 15_000,
    }),
};
