import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { auditPageSchema, type AuditEntry } from '../../../contract/bff/audit.ts';
import { apiRequest } from '../../lib/api-client.ts';

export type { AuditEntry };

/** A link id, whole or its first 8 characters (the short id every screen shows). */
export const linkIdFilterPattern = /^(?:[0-9a-f]{8}|[0-9a-f-]{36})$/;

/** The audit view's filters, as they live in the URL. Times are `datetime-local` strings. */
export interface AuditSearch {
  actor?: string;
  action?: string;
  link_id?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

/** datetime-local (the reader's zone) → ISO for the server. */
function toIso(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const epoch = new Date(local).getTime();
  return Number.isNaN(epoch) ? undefined : new Date(epoch).toISOString();
}

export function auditQueryString(search: AuditSearch): string {
  const params = new URLSearchParams();
  for (const key of ['actor', 'action', 'link_id', 'outcome'] as const) {
    const value = search[key];
    if (value) params.set(key, value);
  }
  const from = toIso(search.from);
  const to = toIso(search.to);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  return params.toString();
}

export const auditQueries = {
  all: () => ['audit'] as const,
  /** Newest first, 100 at a time; each next page starts below the last id seen. */
  pages: (search: AuditSearch) =>
    infiniteQueryOptions({
      queryKey: [...auditQueries.all(), 'pages', search] as const,
      queryFn: async ({ signal, pageParam }) => {
        const query = new URLSearchParams(auditQueryString(search));
        if (pageParam !== null) query.set('before_id', String(pageParam));
        query.set('limit', '100');
        return (await apiRequest(`/bff/audit?${query}`, { schema: auditPageSchema, signal })).data;
      },
      initialPageParam: null as number | null,
      getNextPageParam: (last) => (last.has_more ? (last.entries.at(-1)?.id ?? null) : null),
      staleTime: 5_000,
    }),
  link: (linkId: string) =>
    queryOptions({
      queryKey: [...auditQueries.all(), 'link', linkId] as const,
      queryFn: async ({ signal }) => (await apiRequest(`/bff/audit?link_id=${encodeURIComponent(linkId)}&limit=50`, { schema: auditPageSchema, signal })).data,
      staleTime: 5_000,
    }),
};
