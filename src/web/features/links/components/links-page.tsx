import { useQueries, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { linkStatuses } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { linkQueries, type LinksSearch } from '../../../shared/links/queries.ts';
import { LinksFilters, type StatusCounts } from './links-filters.tsx';
import { LinksTable, LinksTableSkeleton } from './links-table.tsx';
import { Pagination } from './pagination.tsx';

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

  const hasFilters = Boolean(search.status || search.external_id || search.institution);
  const busy = navigating || list.isPlaceholderData || (list.isFetching && !list.data);
  const describeFilters = [
    search.status ? `status=${search.status}` : null,
    search.external_id ? `external_id=${search.external_id}` : null,
    search.institution ? `institution=${search.institution}` : null,
  ]
    .filter(Boolean)
    .join(', ');

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
        <h2 className="text-lg font-semibold">{hasFilters ? t('links.empty.filteredTitle') : t('links.empty.noneTitle')}</h2>
        <p className="mt-1 text-slate-600">
          {hasFilters ? t('links.empty.filteredBody', { filters: describeFilters }) : t('links.empty.noneBody')}
        </p>
        {hasFilters ? (
          <Button className="mt-4" onClick={() => onSearchChange({ status: undefined, external_id: undefined, institution: undefined, page: 1 })}>
            {t('links.empty.clear')}
          </Button>
        ) : null}
      </div>
    );
  } else {
    body = (
      <>
        {list.error ? <ErrorPanel compact title={t('links.errorTitle')} error={list.error} onRetry={() => void list.refetch()} /> : null}
        <LinksTable links={list.data.results} busy={busy} />
        <Pagination page={search.page} pageSize={search.page_size} count={list.data.count} onChange={onSearchChange} />
      </>
    );
  }

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
      {body}
    </div>
  );
}
