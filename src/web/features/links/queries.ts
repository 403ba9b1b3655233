import { queryOptions } from '@tanstack/react-query';
import { linkSchema, linksPageSchema, type LinkStatus } from '../../../contract/links.ts';
import { apiRequest } from '../../lib/api-client.ts';

/** The list view's state, as it lives in the URL. */
export interface LinksSearch {
  status?: LinkStatus;
  external_id?: string;
  institution?: string;
  page: number;
  page_size: number;
}

export type LinksFilterFields = Pick<LinksSearch, 'external_id' | 'institution'>;

/** Query keys are spelled here and nowhere else (TkDodo, "Effective React Query Keys"). */
export const linkQueries = {
  all: () => ['links'] as const,
  lists: () => [...linkQueries.all(), 'list'] as const,
  list: (search: LinksSearch) =>
    queryOptions({
      queryKey: [...linkQueries.lists(), search] as const,
      queryFn: async ({ signal }) =>
        (await apiRequest('/api/links/', { query: { ...search }, schema: linksPageSchema, signal })).data,
      staleTime: 15_000,
    }),
  /** How many links have each status under the other filters: one `page_size=1` call per status. */
  statusCount: (filters: LinksFilterFields, status: LinkStatus | undefined) =>
    queryOptions({
      queryKey: [...linkQueries.all(), 'count', { ...filters, status }] as const,
      queryFn: async ({ signal }) =>
        (
          await apiRequest('/api/links/', {
            query: { ...filters, status, page_size: 1 },
            schema: linksPageSchema,
            signal,
          })
        ).data.count,
      staleTime: 30_000,
    }),
  details: () => [...linkQueries.all(), 'detail'] as const,
  detail: (linkId: string) =>
    queryOptions({
      queryKey: [...linkQueries.details(), linkId] as const,
      queryFn: async ({ signal }) => (await apiRequest(`/api/links/${linkId}/`, { schema: linkSchema, signal })).data,
      staleTime: 10_000,
    }),
  /** Links sharing an institution_user_id: the same person at the same institution (seed 003). */
  sameInstitutionUser: (institutionUserId: string) =>
    queryOptions({
      queryKey: [...linkQueries.all(), 'same-institution-user', institutionUserId] as const,
      queryFn: async ({ signal }) =>
        (
          await apiRequest('/api/links/', {
            query: { institution_user_id: institutionUserId, page_size: 10 },
            schema: linksPageSchema,
            signal,
          })
        ).data,
      staleTime: 60_000,
    }),
};

let lastListSearch: LinksSearch | undefined;
/** The list view the user last saw, so "Back to links" returns to the same filters and page. */
export function rememberListSearch(search: LinksSearch) {
  lastListSearch = search;
}
export function recallListSearch(): LinksSearch | undefined {
  return lastListSearch;
}
