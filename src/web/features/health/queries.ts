import { queryOptions } from '@tanstack/react-query';
import { healthSchema } from '../../../contract/bff/link-index.ts';
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
};
