import { createRoute, stripSearchParams, useRouterState } from '@tanstack/react-router';
import { useMemo } from 'react';
import * as z from 'zod/mini';
import { externalIdPattern, institutionPattern, linkStatusSchema, pageSizes } from '../../contract/links.ts';
import { LinksPage } from '../features/links/components/links-page.tsx';
import { LinksTableSkeleton } from '../features/links/components/links-table.tsx';
import { rememberListSearch } from '../features/links/list-search.ts';
import { linkQueries, type LinksSearch } from '../shared/links/queries.ts';
import { rootRoute } from './root.tsx';

const defaults = { page: 1, page_size: 100 } as const;

/** A bad value in a shared or hand-edited URL falls back to its default instead of erroring. */
export const linksSearchSchema = z.object({
  status: z.catch(z.optional(linkStatusSchema), undefined),
  external_id: z.catch(z.optional(z.string().check(z.regex(externalIdPattern))), undefined),
  institution: z.catch(z.optional(z.string().check(z.regex(institutionPattern))), undefined),
  page: z.catch(z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000_000)), defaults.page), defaults.page),
  page_size: z.catch(
    z._default(
      z.coerce.number().check(z.refine((size) => (pageSizes as readonly number[]).includes(size))),
      defaults.page_size,
    ),
    defaults.page_size,
  ),
}) satisfies z.ZodMiniType<LinksSearch, unknown>;

export const linksRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'links',
  validateSearch: linksSearchSchema,
  search: { middlewares: [stripSearchParams(defaults)] },
  loaderDeps: ({ search }) => search,
  // Waits for the page (so the old one stays up while loading) but never throws: the page shows
  // Belvo's error itself, with the request_id and a retry.
  loader: ({ context, deps }) => {
    rememberListSearch(deps);
    return context.queryClient.prefetchQuery(linkQueries.list(deps));
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
  return (
    <LinksPage
      search={search}
      navigating={navigating}
      onSearchChange={(patch) => void navigate({ search: (previous) => ({ ...previous, ...patch }) })}
    />
  );
}
