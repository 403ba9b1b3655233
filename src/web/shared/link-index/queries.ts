import { queryOptions } from '@tanstack/react-query';
import {
  indexLinksPageSchema,
  indexStatusSchema,
  type IndexLinksSearch,
  type IndexSort,
  type IndexStatus,
  type SortOrder,
  type StaleKind,
} from '../../../contract/bff/link-index.ts';
import type { AccessMode, LinkStatus, RefreshRate } from '../../../contract/links.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { linkQueries } from '../links/queries.ts';

/** The index's query string for the list, the CSV and the page: what the URL holds, empty values left out. */
export type IndexLinksRequest = { [K in keyof IndexLinksSearch]?: string };

/**
 * `?key=value&…` for `/bff/index/links` and `.csv`. Built here rather than with the contract's
 * helper, which reads the server's query schema and would bring its parsers into the first screen.
 */
function toQueryString(request: IndexLinksRequest): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The filters and sort only the index can answer, as they live in the links list's URL. */
export interface IndexListFilters {
  q?: string;
  access_mode?: AccessMode;
  refresh_rate?: RefreshRate;
  created_from?: string;
  created_to?: string;
  orphan?: 'true' | 'false';
  duplicate?: 'true' | 'false';
  stale?: StaleKind;
  sort?: IndexSort;
  order?: SortOrder;
}
export const indexListFilterKeys = ['q', 'access_mode', 'refresh_rate', 'created_from', 'created_to', 'orphan', 'duplicate', 'stale', 'sort', 'order'] as const satisfies readonly (keyof IndexListFilters)[];

/** The whole list view once the index answers: the live list's fields plus the index's own. */
export interface IndexedListSearch extends IndexListFilters {
  status?: LinkStatus;
  institution?: string;
  /** The live list's exact external_id filter; the index reads it as the search box (an external_id prefix). */
  external_id?: string;
  page: number;
  page_size: number;
}

/** What `/bff/index/links` (and the CSV) is asked for this view. */
export function indexRequestFor(search: IndexedListSearch): IndexLinksRequest {
  const { external_id: externalId, page, page_size: pageSize, ...rest } = search;
  return { ...rest, q: search.q ?? externalId, page: String(page), page_size: String(pageSize) };
}

/** While a sync runs the status is read every second, so the progress bar moves; otherwise every 30 s. */
const syncingPollMs = 1_000;
const idlePollMs = 30_000;

/**
 * The index answers instead of Belvo once a full sync has completed: its state is then `ready`, or
 * `syncing`/`error` with the previous sync's links still there (the contract says the index keeps
 * answering). Before the first full sync completes it holds only some pages, so the live,
 * Belvo-backed list is used.
 */
export function indexAnswers(status: IndexStatus | undefined): boolean {
  return Boolean(status?.last_full_sync_at);
}

/** Query keys are spelled here and nowhere else. */
export const indexQueries = {
  all: () => ['index'] as const,
  status: () =>
    queryOptions({
      queryKey: [...indexQueries.all(), 'status'] as const,
      queryFn: async ({ signal }) => (await apiRequest('/bff/index/status', { schema: indexStatusSchema, signal })).data,
      staleTime: 2_000,
      refetchInterval: (query) => (query.state.data?.state === 'syncing' ? syncingPollMs : idlePollMs),
    }),
  /**
   * Under the links list key, so every change `invalidateFor` says makes the Belvo-backed list
   * stale (a delete, a link_deleted webhook) makes this one stale too: the proxy updates the index
   * on the same events.
   */
  lists: () => [...linkQueries.lists(), 'index'] as const,
  links: (search: IndexLinksRequest) =>
    queryOptions({
      queryKey: [...indexQueries.lists(), search] as const,
      queryFn: async ({ signal }) =>
        (await apiRequest(`/bff/index/links${toQueryString(search)}`, { schema: indexLinksPageSchema, signal })).data,
      staleTime: 15_000,
    }),
  /** The Health page's key; its query (and schema) load with that page (features/health/queries.ts). */
  healthKey: () => [...indexQueries.all(), 'health'] as const,
};

/** Where the CSV of exactly these filters and this sort downloads from (every page: no page or page_size). */
export function indexCsvHref(search: IndexLinksRequest): string {
  const { page: _page, page_size: _pageSize, ...filters } = search;
  return `/bff/index/links.csv${toQueryString(filters)}`;
}
