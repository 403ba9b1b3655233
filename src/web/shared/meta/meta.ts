/** What this deployment talks to (simulator, sandbox, production): app-wide, read once. */
import { queryOptions } from '@tanstack/react-query';
import { metaSchema, type Meta } from '../../../contract/bff/meta.ts';
import { apiRequest } from '../../lib/api-client.ts';

export { metaSchema, type Meta };

export const metaQueries = {
  meta: () =>
    queryOptions({
      queryKey: ['meta'],
      queryFn: async ({ signal }) => (await apiRequest('/bff/meta', { schema: metaSchema, signal })).data,
      staleTime: Number.POSITIVE_INFINITY,
    }),
};
