import { useQuery } from '@tanstack/react-query';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { formatNumber } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { IndexFreshness } from '../../../shared/link-index/components/index-freshness.tsx';
import { indexCsvHref, indexQueries, indexRequestFor, type IndexedListSearch } from '../../../shared/link-index/queries.ts';
import { hasIndexFilters, IndexedLinksFilters, noIndexFilters } from './indexed-links-filters.tsx';
import { LinksTable, LinksTableSkeleton, type SortableColumn } from './links-table.tsx';
import { Pagination } from './pagination.tsx';

/** Dates read newest first by default; names and statuses A to Z. */
const firstOrder: Record<SortableColumn, 'asc' | 'desc'> = { created_at: 'desc', last_accessed_at: 'desc', institution: 'asc', status: 'asc' };

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

  let body;
  if (list.error && !list.data) {
    const pastTheEnd = isApiError(list.error) && list.error.status === 404 && search.page > 1;
    body = pastTheEnd ? (
      <div className="rounded-lg border border-slate-200 bg-white p-6 text-center">
        <p className="font-medium">{t('links.empty.pageGone')}</p>
        <Button className="mt-3" onClick={() => onSearchChange({ page: 1 })}>
          {t('links.empty.firstPage')}
        </Button>
      </div>
    ) : (
      <ErrorPanel title={t('links.errorTitle')} error={list.error} onRetry={() => void list.refetch()} />
    );
  } else if (!list.data) {
    body = <LinksTableSkeleton rows={search.page_size} />;
  } else if (list.data.count === 0) {
    body = (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
        <h2 className="text-lg font-semibold">{filtered ? t('links.empty.filteredTitle') : t('links.empty.noneTitle')}</h2>
        <p className="mt-1 text-slate-600">{filtered ? t('indexList.emptyFiltered') : t('links.empty.noneBody')}</p>
        {filtered ? (
          <Button className="mt-4" onClick={() => onSearchChange(noIndexFilters)}>
            {t('links.empty.clear')}
          </Button>
        ) : null}
      </div>
    );
  } else {
    body = (
      <>
        {list.error ? <ErrorPanel compact title={t('links.errorTitle')} error={list.error} onRetry={() => void list.refetch()} /> : null}
        <LinksTable
          links={list.data.results}
          busy={busy}
          sort={{
            by: sortBy,
            order,
            onSort: (column) =>
              onSearchChange({ sort: column, order: column === sortBy ? (order === 'asc' ? 'desc' : 'asc') : firstOrder[column], page: 1 }),
          }}
        />
        <Pagination page={search.page} pageSize={search.page_size} count={list.data.count} onChange={onSearchChange} />
      </>
    );
  }

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
      {body}
    </div>
  );
}
