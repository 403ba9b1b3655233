import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { formatNumber } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { IndexFreshness } from '../../../shared/link-index/components/index-freshness.tsx';
import { indexCsvHref, indexQueries, indexRequestFor, type IndexedListSearch } from '../../../shared/link-index/queries.ts';
import { hasIndexFilters, IndexedLinksFilters, noIndexFilters } from './indexed-links-filters.tsx';
import { LinksTable, type SortableColumn } from './links-table.tsx';
import { Pagination } from './pagination.tsx';
import { LinksListBody } from './links-list-body.tsx';
import { useBulkActions } from '../../../shared/jobs/components/bulk-job-launcher.tsx';
import { SelectionBar } from './selection-bar.tsx';
import { useLinkSelection } from '../use-link-selection.ts';

/** Dates read newest first by default; names and statuses A to Z. */
const firstOrder: Record<SortableColumn, 'asc' | 'desc'> = { created_at: 'desc', last_accessed_at: 'desc', institution: 'asc', status: 'asc' };

/** The filters of this view as a bulk job takes them (`POST /bff/jobs` `filter`): no page, size or sort. */
function jobFilterFor(search: IndexedListSearch): Record<string, string> {
  const { page: _page, page_size: _pageSize, sort: _sort, order: _order, ...filters } = indexRequestFor(search);
  return Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/**
 * The links list read from the account-wide index: sortable, searchable, with the index's extra
 * filters, the status counts from the same response, and a CSV of the whole filtered, sorted set.
 * All state is in the URL (`search`); changes go through `onSearchChange`.
 */
export function IndexedLinksPage({
  search,
  onSearchChange,
  navigating,
}: {
  search: IndexedListSearch;
  onSearchChange(patch: Partial<IndexedListSearch>): void;
  navigating: boolean;
}) {
  const { t, locale } = useT();
  const request = indexRequestFor(search);
  const list = useQuery({ ...indexQueries.links(request), placeholderData: (previous) => previous, retryOnMount: false });
  const busy = navigating || list.isPlaceholderData || (list.isFetching && !list.data);
  const sortBy = search.sort ?? 'created_at';
  const order = search.order ?? (search.sort ? firstOrder[search.sort] : 'desc');
  const filtered = hasIndexFilters(search);
  const actions = useBulkActions();
  const jobFilter = jobFilterFor(search);
  const selection = useLinkSelection(
    (list.data?.results ?? []).map((link) => link.id),
    JSON.stringify(jobFilter),
  );
  const matchingCount = list.data?.count ?? 0;

  const body = (
    <LinksListBody
      list={list}
      page={search.page}
      pageSize={search.page_size}
      filtered={filtered}
      emptyBody={t('indexList.emptyFiltered')}
      onFirstPage={() => onSearchChange({ page: 1 })}
      onClearFilters={() => onSearchChange(noIndexFilters)}
    >
      <LinksTable
        links={list.data?.results ?? []}
        busy={busy}
        selection={actions.length > 0 ? selection.rows : undefined}
        sort={{
          by: sortBy,
          order,
          onSort: (column) =>
            onSearchChange({ sort: column, order: column === sortBy ? (order === 'asc' ? 'desc' : 'asc') : firstOrder[column], page: 1 }),
        }}
      />
      <Pagination page={search.page} pageSize={search.page_size} count={list.data?.count ?? 0} onChange={onSearchChange} />
    </LinksListBody>
  );

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">{t('links.title')}</h1>
        <div className="flex items-baseline gap-4 text-sm">
          <p className="text-slate-600" aria-live="polite">
            {busy ? <span className="mr-3 text-brand-700">{t('links.updating')}</span> : null}
            {list.data ? t('links.total', { count: list.data.count }) : null}
          </p>
          {list.data && list.data.count > 0 ? (
            // A plain link: the browser streams the file straight to disk, every page of it.
            <a href={indexCsvHref(request)} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-100">
              {t('indexList.csv', { n: formatNumber(list.data.count, locale) })}
            </a>
          ) : null}
        </div>
      </div>
      <IndexFreshness />
      <IndexedLinksFilters search={search} counts={list.data?.counts} onChange={onSearchChange} />
      {actions.length > 0 ? (
        <Suspense fallback={null}>
          <SelectionBar
            count={selection.allMatching ? matchingCount : selection.ids.length}
            target={selection.allMatching ? { filter: jobFilter } : { link_ids: selection.ids }}
            actions={actions}
            matching={
              selection.pageSelected && !selection.allMatching && matchingCount > selection.ids.length
                ? { count: matchingCount, onSelect: selection.selectAllMatching }
                : undefined
            }
            onClear={selection.clear}
          />
        </Suspense>
      ) : null}
      {body}
    </div>
  );
}
