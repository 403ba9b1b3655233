import { useQuery } from '@tanstack/react-query';
import { createRoute, stripSearchParams, useRouterState } from '@tanstack/react-router';
import { lazy, useMemo } from 'react';
import * as z from 'zod/mini';
import { indexSearchSchema, indexSortSchema, sortOrderSchema, staleKindSchema } from '../../contract/bff/link-index.ts';
import { accessModeSchema, externalIdPattern, institutionPattern, linkStatusSchema, pageSizes, refreshRateSchema } from '../../contract/links.ts';
import { LinksTableSkeleton } from '../features/links/components/links-table-skeleton.tsx';
import { rememberListSearch } from '../features/links/list-search.ts';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { indexAnswers, indexQueries, indexRequestFor, type IndexedListSearch } from '../shared/link-index/queries.ts';
import { linkQueries, type LinksSearch } from '../shared/links/queries.ts';
import { rootRoute } from './root.tsx';

const defaults = { page: 1, page_size: 100 } as const;

// Two lists answer at /links: the index's (once a full sync has completed) and Belvo's, live
// (until then). Each person needs only one of them, so each is a chunk of its own that the loader
// fetches alongside the data it shows.
// React.lazy rather than lazyRouteComponent: these render inside the route's component, which can
// switch lists without a navigation (a first sync completing), and React.lazy suspends cleanly there.
const indexedListModule = () => import('../features/links/components/indexed-links-page.tsx');
const liveListModule = () => Promise.all([import('../features/links/components/links-page.tsx'), import('../shared/link-index/components/index-pending-notice.tsx')]);
const IndexedLinksPage = lazy(() => indexedListModule().then((module) => ({ default: module.IndexedLinksPage })));
const LinksPage = lazy(() => liveListModule().then(([module]) => ({ default: module.LinksPage })));
const IndexPendingNotice = lazy(() => liveListModule().then(([, module]) => ({ default: module.IndexPendingNotice })));
/** A date (what the filter's date inputs write) or an ISO-8601 timestamp; the server checks it exactly. */
const dayOrTime = z.string().check(z.regex(/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-][\d:]+)?)?$/));
const optional = <T,>(schema: z.ZodMiniType<T, string>) => z.catch(z.optional(schema), undefined);
const flag = optional(z.enum(['true', 'false']));

/** A bad value in a shared or hand-edited URL falls back to its default instead of erroring. */
export const linksSearchSchema = z.object({
  status: optional(linkStatusSchema),
  external_id: optional(z.string().check(z.regex(externalIdPattern))),
  institution: optional(z.string().check(z.regex(institutionPattern))),
  page: z.catch(z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)), defaults.page), defaults.page),
  page_size: z.catch(
    z._default(
      z.coerce.number().check(z.refine((size) => (pageSizes as readonly number[]).includes(size))),
      defaults.page_size,
    ),
    defaults.page_size,
  ),
  // Only the index answers these; the live list says so and leaves them out.
  q: optional(indexSearchSchema),
  access_mode: optional(accessModeSchema),
  refresh_rate: optional(refreshRateSchema),
  created_from: optional(dayOrTime),
  created_to: optional(dayOrTime),
  orphan: flag,
  duplicate: flag,
  stale: optional(staleKindSchema),
  sort: optional(indexSortSchema),
  order: optional(sortOrderSchema),
}) satisfies z.ZodMiniType<IndexedListSearch, unknown>;

/** The part of the URL the live, Belvo-backed list understands. */
function liveSearch(search: IndexedListSearch): LinksSearch {
  return { status: search.status, external_id: search.external_id, institution: search.institution, page: search.page, page_size: search.page_size };
}

export const linksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'links',
  validateSearch: linksSearchSchema,
  search: { middlewares: [stripSearchParams(defaults)] },
  loaderDeps: ({ search }) => search,
  // Waits for the page (so the old one stays up while loading) but never throws: the page shows
  // the error itself, with the request_id and a retry. Which list answers depends on the index.
  loader: async ({ context, deps }) => {
    rememberListSearch(deps);
    // The freshness strip's strings load with it, alongside the data.
    preloadDeferredMessages();
    const status = await context.queryClient.ensureQueryData(indexQueries.status()).catch(() => undefined);
    if (indexAnswers(status)) {
      await Promise.all([indexedListModule(), context.queryClient.prefetchQuery(indexQueries.links(indexRequestFor(deps)))]);
      return;
    }
    await Promise.all([liveListModule(), context.queryClient.prefetchQuery(linkQueries.list(liveSearch(deps)))]);
  },
  pendingComponent: () => <LinksTableSkeleton />,
  component: LinksRouteComponent,
});

function LinksRouteComponent() {
  const navigate = linksRoute.useNavigate();
  const matchedSearch = linksRoute.useSearch();
  // While a filter change loads, the router's location already holds the new search: show it at
  // once (the table keeps the previous rows, marked busy) instead of waiting for the data.
  const location = useRouterState({ select: (state) => state.location });
  const search = useMemo(
    () => (location.pathname === '/links' ? linksSearchSchema.parse(location.search) : matchedSearch),
    [location, matchedSearch],
  );
  const navigating = useRouterState({ select: (state) => state.status === 'pending' });
  const { data: status } = useQuery(indexQueries.status());
  const onSearchChange = (patch: Partial<IndexedListSearch>) => void navigate({ search: (previous) => ({ ...previous, ...patch }) });
  if (indexAnswers(status)) return <IndexedLinksPage search={search} navigating={navigating} onSearchChange={onSearchChange} />;
  return (
    <LinksPage
      search={liveSearch(search)}
      navigating={navigating}
      onSearchChange={onSearchChange}
      notice={<IndexPendingNotice search={search} />}
    />
  );
}
