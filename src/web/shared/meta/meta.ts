/** What this deployment talks to (simulator, sandbox, production): app-wide, read once. */
import { queryOptions } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiRequest } from '../../lib/api-client.ts';

export const metaSchema = z.object({
  belvo_mode: z.enum(['simulator', 'sandbox', 'production']),
  belvo_host: z.nullable(z.string()),
  server_time: z.string(),
  version: z.string(),
});
export type Meta = z.infer<typeof metaSchema>;

export const metaQueries = {
  meta: () =>
    queryOptions({
      queryKey: ['meta'],
      queryFn: async ({ signal }) => (await apiRequest('/bff/meta', { schema: metaSchema, signal })).data,
      staleTime: Number.POSITIVE_INFINITY,
    }),
};
