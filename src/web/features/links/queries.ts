import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { linkSchema, linksPageSchema, type LinkStatus } from '../../../contract/links.ts';
import { linkActivitySchema, operationsStateSchema } from '../../../contract/bff/operations.ts';
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

/** Shared operations state (cooldowns, delete budget, pending work), with the server's clock. */
export const operationsQueries = {
  all: () => ['operations'] as const,
  state: () =>
    queryOptions({
      queryKey: [...operationsQueries.all(), 'state'] as const,
      queryFn: async ({ signal }) => {
        const sentAt = Date.now();
        const { data } = await apiRequest('/bff/operations', { schema: operationsStateSchema, signal });
        const receivedAt = Date.now();
        // Countdowns use the server's clock: offset = server time − the local midpoint of the call.
        return { ...data, clockOffsetMs: data.server_time - (sentAt + receivedAt) / 2 };
      },
      refetchInterval: 15_000,
      staleTime: 2_000,
    }),
  activity: (linkId: string) =>
    queryOptions({
      queryKey: [...operationsQueries.all(), 'activity', linkId] as const,
      queryFn: async ({ signal }) => (await apiRequest(`/bff/links/${linkId}/activity`, { schema: linkActivitySchema, signal })).data,
      staleTime: 2_000,
    }),
};

export type DeleteMode = 'async' | 'sync';

export interface DeleteResult {
  mode: DeleteMode;
  requestId: string | null;
}

/** Deletes a link once per call (no retries); what it invalidates is declared here. */
export function useDeleteLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ linkId, mode }: { linkId: string; mode: DeleteMode }): Promise<DeleteResult> => {
      const { status, data } = await apiRequest<{ request_id?: string } | undefined>(`/api/links/${linkId}/`, {
        method: 'DELETE',
        headers: mode === 'async' ? { 'X-Belvo-Request-Mode': 'async' } : {},
      });
      return { mode, requestId: status === 202 ? (data?.request_id ?? null) : null };
    },
    onSettled: async (_result, _error, { linkId }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: operationsQueries.all() }),
        queryClient.invalidateQueries({ queryKey: linkQueries.lists() }),
        queryClient.invalidateQueries({ queryKey: [...linkQueries.all(), 'count'] }),
        queryClient.invalidateQueries({ queryKey: linkQueries.detail(linkId).queryKey }),
      ]);
    },
  });
}

export function useRefreshLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ linkId, resources }: { linkId: string; resources: string[] | null }) => {
      const { data } = await apiRequest<{ request_id: string }>(`/api/links/${linkId}/refresh/`, {
        method: 'POST',
        json: resources ? { fetch_resources: resources } : {},
      });
      return { requestId: data.request_id };
    },
    onSettled: async (_result, _error, { linkId }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: operationsQueries.all() }),
        queryClient.invalidateQueries({ queryKey: linkQueries.detail(linkId).queryKey }),
      ]);
    },
  });
}

/**
 * Keeps every open dashboard current: the server's event stream says when shared state changed
 * (another user's refresh, a link_deleted webhook) and the affected queries are re-read.
 */
export function useLiveOperations() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/bff/events');
    const onChange = (event: MessageEvent<string>) => {
      const payload = JSON.parse(event.data) as { type: string; link_id?: string };
      void queryClient.invalidateQueries({ queryKey: operationsQueries.all() });
      if (payload.type === 'link-deleted') {
        void queryClient.invalidateQueries({ queryKey: linkQueries.lists() });
        void queryClient.invalidateQueries({ queryKey: [...linkQueries.all(), 'count'] });
      }
      if (payload.link_id && payload.type !== 'operations-changed') {
        void queryClient.invalidateQueries({ queryKey: linkQueries.detail(payload.link_id).queryKey });
      }
    };
    for (const type of ['operations-changed', 'link-deleted', 'link-changed']) source.addEventListener(type, onChange);
    return () => source.close();
  }, [queryClient]);
}
