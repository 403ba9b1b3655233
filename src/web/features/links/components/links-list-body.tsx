import type { ReactNode } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { useT } from '../../../lib/i18n.ts';
import { LinksTableSkeleton } from './links-table-skeleton.tsx';

/**
 * The states both links lists share (Belvo's live list and the index's): the failure with Belvo's
 * request_id, the way back from a page past the end, the skeleton, and why the list is empty
 * with a way out; `children` (the table and its pagination) once there are links.
 */
export function LinksListBody({
  list,
  page,
  pageSize,
  filtered,
  emptyBody,
  onFirstPage,
  onClearFilters,
  children,
}: {
  list: { error: unknown; data?: { count: number }; refetch(): unknown };
  page: number;
  pageSize: number;
  filtered: boolean;
  /** Why a filtered list is empty (each list names its own filters). */
  emptyBody: string;
  onFirstPage(): void;
  onClearFilters(): void;
  children: ReactNode;
}) {
  const { t } = useT();
  if (list.error && !list.data) {
    const pastTheEnd = isApiError(list.error) && list.error.status === 404 && page > 1;
    return pastTheEnd ? (
      <div className="rounded-lg border border-slate-200 bg-white p-6 text-center">
        <p className="font-medium">{t('links.empty.pageGone')}</p>
        <Button className="mt-3" onClick={onFirstPage}>
          {t('links.empty.firstPage')}
        </Button>
      </div>
    ) : (
      <ErrorPanel title={t('links.errorTitle')} error={list.error} onRetry={() => void list.refetch()} />
    );
  }
  if (!list.data) return <LinksTableSkeleton rows={pageSize} />;
  if (list.data.count === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
        <h2 className="text-lg font-semibold">{filtered ? t('links.empty.filteredTitle') : t('links.empty.noneTitle')}</h2>
        <p className="mt-1 text-slate-600">{filtered ? emptyBody : t('links.empty.noneBody')}</p>
        {filtered ? (
          <Button className="mt-4" onClick={onClearFilters}>
            {t('links.empty.clear')}
          </Button>
        ) : null}
      </div>
    );
  }
  return (
    <>
      {list.error ? <ErrorPanel compact title={t('links.errorTitle')} error={list.error} onRetry={() => void list.refetch()} /> : null}
      {children}
    </>
  );
}
