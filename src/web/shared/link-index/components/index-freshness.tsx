import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import type { IndexStatus, SyncProgress } from '../../../../contract/bff/link-index.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { formatNumber } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { can, sessionQueries } from '../../session/session.ts';
import { indexQueries } from '../queries.ts';
import { invalidateIndexReads, useStartIndexSync } from '../sync-mutations.ts';

/**
 * How fresh the account-wide index is, on every screen that reads it: the last full sync and the
 * last change (relative, exact time on hover and focus), a progress bar while a sync runs, the last
 * sync's error with Belvo's request_id, and "Sync now" for admins.
 */
export function IndexFreshness() {
  useDeferredMessages();
  const { t } = useT();
  const status = useQuery(indexQueries.status());
  useReReadWhenSyncEnds(status.data);

  if (status.error && !status.data) {
    return <ErrorPanel compact title={t('index.statusFailed')} error={status.error} onRetry={() => void status.refetch()} />;
  }
  if (!status.data) return null;
  const { data } = status;
  return (
    <section aria-label={t('index.label')} className="space-y-2 rounded-lg border border-slate-200 bg-white px-4 py-2.5 text-sm">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-1">
        <div className="text-slate-700">
          {t('index.lastFullSync')} <RelativeTime iso={data.last_full_sync_at} fallback={t('index.never')} />
        </div>
        <div className="text-slate-700">
          {t('index.lastChange')} <RelativeTime iso={data.last_change_at} fallback={t('index.never')} />
        </div>
        <p className="text-slate-600">{t('index.indexedCount', { count: data.indexed })}</p>
        <span className="flex-1" />
        <SyncNow status={data} />
      </div>
      {data.progress ? <SyncProgressBar progress={data.progress} /> : null}
      {data.last_error ? (
        <ErrorPanel
          compact
          title={t('index.syncFailed')}
          error={new ApiError(data.last_error.http_status ?? 0, [
            { code: data.last_error.code, message: data.last_error.message, request_id: data.last_error.request_id },
          ])}
        >
          <div className="mt-1 text-xs">
            {t('index.syncFailedAt')} <RelativeTime iso={data.last_error.at} fallback="" />
            {data.next_sync_at ? (
              <>
                {' · '}
                {t('index.nextSync')} <RelativeTime iso={data.next_sync_at} fallback="" />
              </>
            ) : null}
          </div>
        </ErrorPanel>
      ) : null}
    </section>
  );
}

function SyncProgressBar({ progress }: { progress: SyncProgress }) {
  const { t, locale } = useT();
  const labelId = useId();
  const n = (value: number) => formatNumber(Math.round(value), locale);
  const total = progress.belvo_count;
  const eta = progress.eta_seconds;
  const parts = [
    total === null ? t('index.progress.indexedOnly', { indexed: n(progress.indexed) }) : t('index.progress.indexedOf', { indexed: n(progress.indexed), total: n(total) }),
    progress.rate_per_second === null ? null : t('index.progress.rate', { rate: n(progress.rate_per_second) }),
    eta === null ? null : eta < 60 ? t('index.progress.etaSeconds', { n: Math.max(1, Math.round(eta)) }) : t('index.progress.etaMinutes', { n: Math.ceil(eta / 60) }),
  ].filter(Boolean);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p id={labelId} className="font-medium text-slate-800">
          {t(`index.progress.phase.${progress.phase}`)}
        </p>
        <p className="tabular-nums text-slate-700" aria-live="polite">
          {parts.join(' · ')}
        </p>
      </div>
      {/* No value while Belvo's count is unknown: an indeterminate bar, not a made-up share. */}
      <progress
        aria-labelledby={labelId}
        max={total ?? undefined}
        value={total === null ? undefined : Math.min(progress.indexed, total)}
        className="h-2 w-full overflow-hidden rounded-full accent-brand-600 [&::-moz-progress-bar]:bg-brand-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-brand-600"
      />
    </div>
  );
}

function SyncNow({ status }: { status: IndexStatus }) {
  const { t } = useT();
  const { data: session } = useQuery(sessionQueries.current());
  const start = useStartIndexSync();
  if (!can(session, 'index:sync')) return null;
  const running = status.state === 'syncing';
  return (
    <div className="flex flex-col items-end gap-1">
      <Button size="sm" onClick={() => start.mutate()} disabled={running || start.isPending}>
        {running ? t('index.syncing') : t('index.syncNow')}
      </Button>
      {start.error ? <ErrorPanel compact title={t('index.syncNotStarted')} error={start.error} /> : null}
    </div>
  );
}

/** A sync that ends (or a new full sync seen for the first time) makes what was read from the index stale. */
function useReReadWhenSyncEnds(status: IndexStatus | undefined) {
  const queryClient = useQueryClient();
  const previous = useRef<{ state: string; lastFullSyncAt: string | null } | null>(null);
  useEffect(() => {
    if (!status) return;
    const before = previous.current;
    previous.current = { state: status.state, lastFullSyncAt: status.last_full_sync_at };
    if (!before) return;
    if (before.lastFullSyncAt !== status.last_full_sync_at || (before.state === 'syncing' && status.state !== 'syncing')) {
      void invalidateIndexReads(queryClient);
    }
  }, [status, queryClient]);
}
