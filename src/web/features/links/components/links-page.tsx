import { useQueries, useQuery } from '@tanstack/react-query';
import { Suspense, type ReactNode } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { linkStatuses } from '../../../../contract/links.ts';
import { linkQueries, type LinksSearch } from '../../../shared/links/queries.ts';
import { LinksFilters, type StatusCounts } from './links-filters.tsx';
import { LinksTable } from './links-table.tsx';
import { Pagination } from './pagination.tsx';
import { LinksListBody } from './links-list-body.tsx';
import { useBulkActions } from '../../../shared/jobs/components/bulk-job-launcher.tsx';
import { SelectionBar } from './selection-bar.tsx';
import { useLinkSelection } from '../use-link-selection.ts';

/**
 * The links list: filters with per-status counts, the table, pagination, and the empty and error
 * states. All state is in the URL (`search`); changes go through `onSearchChange`.
 */
export function LinksPage({
  search,
  onSearchChange,
  navigating,
  notice,
}: {
  search: LinksSearch;
  onSearchChange(patch: Partial<LinksSearch>): void;
  navigating: boolean;
  /** Shown under the heading: why this list reads Belvo live (the route composes it). */
  notice?: ReactNode;
}) {
  const { t } = useT();
  const list = useQuery({ ...linkQueries.list(search), placeholderData: (previous) => previous, retryOnMount: false });
  const filterFields = { external_id: search.external_id, institution: search.institution };
  const countQueries = useQueries({
    queries: linkStatuses.map((status) => linkQueries.statusCount(filterFields, status)),
  });
  const allCount = useQuery(linkQueries.statusCount(filterFields, undefined));
  const counts: StatusCounts = { all: allCount.data };
  linkStatuses.forEach((status, index) => {
    counts[status] = countQueries[index]?.data;
  });

  const actions = useBulkActions();
  const selection = useLinkSelection(
    (list.data?.results ?? []).map((link) => link.id),
    JSON.stringify([search.status, search.external_id, search.institution]),
  );

  const hasFilters = Boolean(search.status || search.external_id || search.institution);
  const busy = navigating || list.isPlaceholderData || (list.isFetching && !list.data);
  const describeFilters = [
    search.status ? `status=${search.status}` : null,
    search.external_id ? `external_id=${search.external_id}` : null,
    search.institution ? `institution=${search.institution}` : null,
  ]
    .filter(Boolean)
    .join(', ');

  const body = (
    <LinksListBody
      list={list}
      page={search.page}
      pageSize={search.page_size}
      filtered={hasFilters}
      emptyBody={t('links.empty.filteredBody', { filters: describeFilters })}
      onFirstPage={() => onSearchChange({ page: 1 })}
      onClearFilters={() => onSearchChange({ status: undefined, external_id: undefined, institution: undefined, page: 1 })}
    >
      <LinksTable links={list.data?.results ?? []} busy={busy} selection={actions.length > 0 ? selection.rows : undefined} />
      <Pagination page={search.page} pageSize={search.page_size} count={list.data?.count ?? 0} onChange={onSearchChange} />
    </LinksListBody>
  );

  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">{t('links.title')}</h1>
        <p className="text-sm text-slate-600" aria-live="polite">
          {busy ? <span className="mr-3 text-brand-700">{t('links.updating')}</span> : null}
          {list.data ? t('links.total', { count: list.data.count }) : null}
        </p>
      </div>
      {notice}
      <LinksFilters search={search} counts={counts} onChange={onSearchChange} />
      {actions.length > 0 ? (
        <Suspense fallback={null}>
          <SelectionBar count={selection.ids.length} target={{ link_ids: selection.ids }} actions={actions} onClear={selection.clear} />
        </Suspense>
      ) : null}
      {body}
    </div>
  );
}
