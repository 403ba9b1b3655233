import { useQuery } from '@tanstack/react-query';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { indexListFilterKeys, indexQueries, type IndexedListSearch } from '../queries.ts';
import { IndexFreshness } from './index-freshness.tsx';

/**
 * Shown above the live, Belvo-backed list while the index has no completed full sync: why the
 * index's sorting, search and filters are not offered yet, which of them the URL asked for and are
 * not applied, and the sync's progress.
 */
export function IndexPendingNotice({ search }: { search: IndexedListSearch }) {
  useDeferredMessages();
  const notApplied = indexListFilterKeys.filter((key) => search[key] !== undefined).map((key) => `${key}=${search[key]}`);
  const { t } = useT();
  const { data: status } = useQuery(indexQueries.status());
  const reason = !status ? 'unknown' : status.state === 'error' ? 'error' : status.state === 'syncing' ? 'syncing' : 'empty';
  return (
    <div className="space-y-2">
      <div role="note" className="rounded-md border border-sky-300 bg-sky-50 px-4 py-2 text-sm text-sky-950">
        <p>
          {t(`index.pending.${reason}`)} {t('index.pending.live')}
        </p>
        {notApplied.length > 0 ? <p className="mt-1 font-medium">{t('index.pending.notApplied', { filters: notApplied.join(', ') })}</p> : null}
      </div>
      <IndexFreshness />
    </div>
  );
}
