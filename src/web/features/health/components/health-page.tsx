import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { lazy, Suspense, type ReactNode } from 'react';
import { healthStatuses, type DailySnapshot, type Health } from '../../../../contract/bff/link-index.ts';
import type { LinkStatus } from '../../../../contract/links.ts';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { Table, TableFrame, TableHead, Td, Tr } from '../../../components/ui/table.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { healthQueries } from '../queries.ts';
import { IndexFreshness } from '../../../shared/link-index/components/index-freshness.tsx';
import { Duplicates } from './duplicate-groups.tsx';
import { linkClass, listSearch } from './health-links.ts';
import { Stale } from './stale-links.tsx';
import { share, StatusColumnsHeader, StatusMatrix } from './status-matrix.tsx';

// The chart library is a chunk of its own, fetched only when a chart is drawn (first screen budget).
const HistoryChart = lazy(() => import('./history-chart.tsx').then((module) => ({ default: module.HistoryChart })));


/**
 * Account-wide link health from the index: status × institution, orphans, duplicate groups, stale
 * links and the daily history. Every number leads to the links behind it, and the two hygiene
 * problems of Belvo's links guide (orphans and duplicates) say what to do about them.
 */
export function HealthPage() {
  useDeferredMessages();
  const { t } = useT();
  const health = useQuery(healthQueries.report());

  let body: ReactNode;
  if (health.error && !health.data) {
    body = <ErrorPanel title={t('health.failed')} error={health.error} onRetry={() => void health.refetch()} />;
  } else if (!health.data) {
    body = (
      <p role="status" className="text-slate-600">
        {t('health.loading')}
      </p>
    );
  } else {
    body = <HealthReport health={health.data} />;
  }
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold tracking-tight">{t('health.title')}</h1>
      <IndexFreshness />
      {body}
    </div>
  );
}

function HealthReport({ health }: { health: Health }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  return (
    <>
      {health.as_of === null ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950">
          {t('health.partial')}
        </p>
      ) : null}
      <section aria-labelledby="health-summary" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="health-summary" className="text-lg font-semibold">
          {t('health.summary.title')}
        </h2>
        <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <li>
            <RouterLink to="/links" search={listSearch} className={linkClass}>
              {t('health.summary.total', { count: health.total })}
            </RouterLink>
          </li>
          {healthStatuses.map((status) => (
            <li key={status}>
              <RouterLink to="/links" search={{ ...listSearch, status }} className={linkClass}>
                {t('health.summary.status', { status: t(`status.${status}`), n: n(health.counts_by_status[status]) })}
              </RouterLink>
            </li>
          ))}
        </ul>
      </section>
      <StatusMatrix health={health} />
      <div className="grid gap-5 lg:grid-cols-2">
        <Orphans count={health.orphans} total={health.total} />
        <Stale health={health} />
      </div>
      <Duplicates groups={health.duplicate_groups} count={health.duplicate_group_count} links={health.duplicate_links} />
      <History history={health.history} />
    </>
  );
}

function Orphans({ count, total }: { count: number; total: number }) {
  const { t, locale } = useT();
  return (
    <section aria-labelledby="health-orphans" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-orphans" className="text-lg font-semibold">
        {t('health.orphans.title')}
      </h2>
      <p className="mt-2 text-3xl font-semibold tabular-nums">{formatNumber(count, locale)}</p>
      <p className="text-sm text-slate-600">{t('health.orphans.share', { share: share(count, total, locale) })}</p>
      {count > 0 ? (
        <RouterLink to="/links" search={{ ...listSearch, orphan: 'true' }} className={cn(linkClass, 'mt-2 inline-block text-sm')}>
          {t('health.orphans.open', { count })}
        </RouterLink>
      ) : null}
      <p className="mt-3 text-sm text-slate-700">{t('health.orphans.what')}</p>
      <h3 className="mt-3 text-sm font-semibold">{t('health.whatToDo')}</h3>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700">
        <li>{t('health.orphans.todoValid')}</li>
        <li>{t('health.orphans.todoBroken')}</li>
        <li>{t('health.orphans.todoPrevent')}</li>
      </ul>
    </section>
  );
}


function History({ history }: { history: DailySnapshot[] }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  const last = history[history.length - 1];
  return (
    <section aria-labelledby="health-history" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-history" className="text-lg font-semibold">
        {t('health.history.title')}
      </h2>
      {history.length === 0 ? (
        <p className="mt-2 text-sm text-slate-700">{t('health.history.none')}</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600">
            {history.length === 1 ? t('health.history.oneDay', { day: history[0]?.day ?? '' }) : t('health.history.days', { count: history.length, from: history[0]?.day ?? '', to: last?.day ?? '' })}
          </p>
          {history.length > 1 ? (
            <figure className="mt-3">
              <Suspense fallback={<div className="h-72 animate-pulse rounded bg-slate-100" />}>
                <HistoryChart
                  history={history}
                  labels={Object.fromEntries(healthStatuses.map((status) => [status, t(`status.${status}`)])) as Record<LinkStatus, string>}
                  summary={t('health.history.chartSummary', { count: history.length, from: history[0]?.day ?? '', to: last?.day ?? '' })}
                  locale={locale}
                />
              </Suspense>
              <figcaption className="mt-1 text-xs text-slate-600">{t('health.history.caption')}</figcaption>
            </figure>
          ) : null}
          <details className="mt-3" open={history.length === 1}>
            <summary className="cursor-pointer text-sm font-medium text-brand-700">{t('health.history.asTable')}</summary>
            <TableFrame className="mt-2 max-h-96">
              <Table>
                <caption className="sr-only">{t('health.history.title')}</caption>
                <TableHead sticky>
                  <StatusColumnsHeader first={t('health.history.day')} />
                </TableHead>
                <tbody>
                  {[...history].reverse().map((snapshot) => (
                    <Tr key={snapshot.day}>
                      <th scope="row" className="px-3 py-1 font-normal">
                        <time dateTime={snapshot.day}>{snapshot.day}</time>
                      </th>
                      {healthStatuses.map((status) => (
                        <Td key={status} className="text-right tabular-nums">
                          {n(snapshot.counts_by_status[status])}
                        </Td>
                      ))}
                      <Td className="text-right tabular-nums">{n(snapshot.total)}</Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            </TableFrame>
          </details>
        </>
      )}
      {last ? (
        <div className="mt-2 text-xs text-slate-600">
          {t('health.history.lastTaken')} <RelativeTime iso={last.taken_at} fallback="" />
        </div>
      ) : null}
    </section>
  );
}

