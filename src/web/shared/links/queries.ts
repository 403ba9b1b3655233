import { queryOptions, useMutation, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { linkSchema, linksPageSchema, type AccessMode, type Link, type LinkStatus } from '../../../contract/links.ts';
import { reconnectLinkSchema, type ReconnectLink } from '../../../contract/bff/reconnect.ts';
import { linkdeskEventSchema, linkdeskEventTypes, type LinkdeskEvent } from '../../../contract/bff/events.ts';
import { linkActivitySchema, operationsStateSchema } from '../../../contract/bff/operations.ts';
import { apiRequest } from '../../lib/api-client.ts';
import { jobKeys } from '../jobs/job-keys.ts';

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
  counts: () => [...linkQueries.all(), 'count'] as const,
  /** How many links have each status under the other filters: one `page_size=1` call per status. */
  statusCount: (filters: LinksFilterFields, status: LinkStatus | undefined) =>
    queryOptions({
      queryKey: [...linkQueries.counts(), { ...filters, status }] as const,
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

/**
 * A change to shared state, as the server's event stream names it (src/server/events.ts) and as
 * each mutation here reports its own: what changed, and on which link when there is one.
 */
/** A change to links or their operations: what a mutation did, or what the server's event stream says. */
export type LinksChange = LinkdeskEvent;

/**
 * The one mapping from a change to the queries it makes stale, used by the mutations below and by
 * the live-events stream (`useLiveOperations`), so a change someone else made refreshes the same
 * things as the same change made here. Every change moves the operations state (cooldowns,
 * budget, pending work); a link created, resumed or deleted moves the lists and the counts. A
 * job's progress moves only that job and the jobs list: the links it deletes or refreshes come
 * with their own events.
 */
export function invalidateFor(change: LinksChange): QueryKey[] {
  if (change.type === 'job-changed') return change.job_id ? [jobKeys.lists(), jobKeys.detail(change.job_id)] : [jobKeys.all()];
  const keys: QueryKey[] = [operationsQueries.all()];
  if (change.type !== 'operations-changed') keys.push(linkQueries.lists(), linkQueries.counts());
  if (change.link_id) keys.push(linkQueries.detail(change.link_id).queryKey);
  return keys;
}

export async function invalidate(queryClient: QueryClient, change: LinksChange): Promise<void> {
  await Promise.all(invalidateFor(change).map((queryKey) => queryClient.invalidateQueries({ queryKey })));
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
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      // A hint the SPA does not understand (a newer server) is ignored rather than acted on.
      const change = linkdeskEventSchema.safeParse(data);
      if (change.success) void invalidate(queryClient, change.data);
    };
    for (const type of linkdeskEventTypes) source.addEventListener(type, onChange);
    return () => source.close();
  }, [queryClient]);
}

export type DeleteMode = 'async' | 'sync';

export interface DeleteResult {
  mode: DeleteMode;
  requestId: string | null;
}

/**
 * Every write to a link is a mutation, sent once per call (mutations never retry), so each failure
 * reaches the app's error handling — a 401 mid-flow goes to sign-in like any other — and each
 * declares what it makes stale through `invalidateFor`.
 */
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
    onSettled: (_result, _error, { linkId }) => invalidate(queryClient, { type: 'link-deleted', link_id: linkId }),
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
    onSettled: (_result, _error, { linkId }) => invalidate(queryClient, { type: 'operations-changed', link_id: linkId }),
  });
}

/** Support's access-mode change (`PATCH /api/links/{id}/` with only `access_mode`). */
export function useChangeAccessMode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ linkId, accessMode }: { linkId: string; accessMode: AccessMode }): Promise<Link> => {
      const { data } = await apiRequest<unknown>(`/api/links/${linkId}/`, { method: 'PATCH', json: { access_mode: accessMode } });
      return linkSchema.parse(data);
    },
    onSettled: (_result, _error, { linkId }) => invalidate(queryClient, { type: 'link-changed', link_id: linkId }),
  });
}

/** A hosted-widget URL for a broken link; it changes nothing until the end user uses it, so nothing is invalidated. */
export function useReconnectLink() {
  return useMutation({
    mutationFn: async ({ linkId }: { linkId: string }): Promise<ReconnectLink> => {
      const { data } = await apiRequest<unknown>(`/bff/links/${linkId}/reconnect`, { method: 'POST', json: {} });
      return reconnectLinkSchema.parse(data);
    },
  });
}
