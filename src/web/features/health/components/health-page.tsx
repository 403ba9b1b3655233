import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { healthStatuses, type DailySnapshot, type DuplicateGroup, type Health } from '../../../../contract/bff/link-index.ts';
import type { LinkStatus } from '../../../../contract/links.ts';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { formatDateTime, formatNumber, shortId } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { healthQueries } from '../queries.ts';
import { IndexFreshness } from '../../../shared/link-index/components/index-freshness.tsx';

// The chart library is a chunk of its own, fetched only when a chart is drawn (first screen budget).
const HistoryChart = lazy(() => import('./history-chart.tsx').then((module) => ({ default: module.HistoryChart })));

/** How many duplicate groups are listed before "all of them in the list". */
const groupsShown = 12;

const listSearch = { page: 1, page_size: 100 } as const;
const linkClass = 'text-brand-700 underline underline-offset-2 hover:text-brand-900';

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
      <Duplicates groups={health.duplicate_groups} links={health.duplicate_links} />
      <History history={health.history} />
    </>
  );
}

function share(part: number, whole: number, locale: string): string {
  if (whole === 0) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}

function StatusMatrix({ health }: { health: Health }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  const rows = useMemo(() => {
    const byInstitution = new Map<string, Record<LinkStatus, number>>();
    for (const cell of health.by_status_institution) {
      const row = byInstitution.get(cell.institution) ?? { valid: 0, invalid: 0, unconfirmed: 0, token_required: 0 };
      row[cell.status] += cell.count;
      byInstitution.set(cell.institution, row);
    }
    return [...byInstitution]
      .map(([institution, counts]) => ({ institution, counts, total: healthStatuses.reduce((sum, status) => sum + counts[status], 0) }))
      .sort((a, b) => b.total - a.total || a.institution.localeCompare(b.institution));
  }, [health.by_status_institution]);

  return (
    <section aria-labelledby="health-matrix" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-matrix" className="text-lg font-semibold">
        {t('health.matrix.title')}
      </h2>
      <p className="mt-1 text-sm text-slate-600">{t('health.matrix.hint')}</p>
      <TableFrame className="mt-3">
        <Table>
          <caption className="sr-only">{t('health.matrix.title')}</caption>
          <TableHead>
            <tr>
              <Th>{t('health.matrix.institution')}</Th>
              {healthStatuses.map((status) => (
                <Th key={status} className="text-right">
                  {t(`status.${status}`)}
                </Th>
              ))}
              <Th className="text-right">{t('health.matrix.total')}</Th>
            </tr>
          </TableHead>
          <tbody>
            {rows.map((row) => (
              <Tr key={row.institution}>
                <th scope="row" className="px-3 py-1.5 font-mono text-xs font-normal">
                  {row.institution}
                </th>
                {healthStatuses.map((status) => (
                  <Td key={status} className="text-right tabular-nums">
                    <MatrixCell
                      count={row.counts[status]}
                      share={share(row.counts[status], row.total, locale)}
                      search={{ status, institution: row.institution }}
                      label={t('health.matrix.cellLink', { n: n(row.counts[status]), status: t(`status.${status}`), institution: row.institution })}
                    />
                  </Td>
                ))}
                <Td className="text-right font-medium tabular-nums">
                  <MatrixCell
                    count={row.total}
                    share={share(row.total, health.total, locale)}
                    search={{ institution: row.institution }}
                    label={t('health.matrix.rowLink', { n: n(row.total), institution: row.institution })}
                  />
                </Td>
              </Tr>
            ))}
          </tbody>
          <tfoot className="border-t-2 border-slate-300 font-medium">
            <tr>
              <th scope="row" className="px-3 py-1.5">
                {t('health.matrix.total')}
              </th>
              {healthStatuses.map((status) => (
                <Td key={status} className="text-right tabular-nums">
                  <MatrixCell
                    count={health.counts_by_status[status]}
                    share={share(health.counts_by_status[status], health.total, locale)}
                    search={{ status }}
                    label={t('health.matrix.columnLink', { n: n(health.counts_by_status[status]), status: t(`status.${status}`) })}
                  />
                </Td>
              ))}
              <Td className="text-right tabular-nums">
                <MatrixCell count={health.total} share={share(health.total, health.total, locale)} search={{}} label={t('health.summary.total', { count: health.total })} />
              </Td>
            </tr>
          </tfoot>
        </Table>
      </TableFrame>
    </section>
  );
}

function MatrixCell({ count, share: shareText, search, label }: { count: number; share: string; search: { status?: LinkStatus; institution?: string }; label: string }) {
  const { locale } = useT();
  if (count === 0) return <span className="text-slate-500">0</span>;
  // The share sits beside the link, not in it: the link's name starts with the number it shows.
  return (
    <span className="inline-flex flex-col items-end leading-tight">
      <RouterLink to="/links" search={{ ...listSearch, ...search }} aria-label={label} className={linkClass}>
        {formatNumber(count, locale)}
      </RouterLink>
      <span className="text-xs text-slate-600">{shareText}</span>
    </span>
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

function Stale({ health }: { health: Health }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  const { stale } = health;
  return (
    <section aria-labelledby="health-stale" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-stale" className="text-lg font-semibold">
        {t('health.stale.title')}
      </h2>
      <p className="mt-2 text-3xl font-semibold tabular-nums">{n(stale.total)}</p>
      <h3 className="mt-3 text-sm font-semibold">
        {stale.not_accessed > 0 ? (
          <RouterLink to="/links" search={{ ...listSearch, stale: 'not_accessed' }} className={linkClass}>
            {t('health.stale.notAccessed', { n: n(stale.not_accessed) })}
          </RouterLink>
        ) : (
          t('health.stale.notAccessed', { n: n(stale.not_accessed) })
        )}
      </h3>
      <p className="text-sm text-slate-600">{t('health.stale.notAccessedRule', { factor: formatNumber(stale.thresholds.refresh_rate_factor, locale) })}</p>
      {stale.not_accessed_by_refresh_rate.some((entry) => entry.count > 0) ? (
        <ul className="mt-1 flex flex-wrap gap-x-4 text-sm">
          {stale.not_accessed_by_refresh_rate
            .filter((entry) => entry.count > 0)
            .map((entry) => (
              <li key={entry.refresh_rate}>
                <RouterLink to="/links" search={{ ...listSearch, stale: 'not_accessed', refresh_rate: entry.refresh_rate }} className={linkClass}>
                  {t('health.stale.byRefreshRate', { rate: t(`refreshRate.${entry.refresh_rate}`), n: n(entry.count) })}
                </RouterLink>
              </li>
            ))}
        </ul>
      ) : null}
      <h3 className="mt-3 text-sm font-semibold">
        {stale.broken > 0 ? (
          <RouterLink to="/links" search={{ ...listSearch, stale: 'broken' }} className={linkClass}>
            {t('health.stale.broken', { n: n(stale.broken) })}
          </RouterLink>
        ) : (
          t('health.stale.broken', { n: n(stale.broken) })
        )}
      </h3>
      <p className="text-sm text-slate-600">{t('health.stale.brokenRule', { days: stale.thresholds.broken_days })}</p>
      {stale.broken_by_status.some((entry) => entry.count > 0) ? (
        <ul className="mt-1 flex flex-wrap gap-x-4 text-sm">
          {stale.broken_by_status
            .filter((entry) => entry.count > 0)
            .map((entry) => (
              <li key={entry.status}>
                <RouterLink to="/links" search={{ ...listSearch, stale: 'broken', status: entry.status }} className={linkClass}>
                  {t('health.summary.status', { status: t(`status.${entry.status}`), n: n(entry.count) })}
                </RouterLink>
              </li>
            ))}
        </ul>
      ) : null}
      <p className="mt-3 text-sm text-slate-700">{t('health.stale.what')}</p>
    </section>
  );
}

function Duplicates({ groups, links }: { groups: DuplicateGroup[]; links: number }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  return (
    <section aria-labelledby="health-duplicates" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-duplicates" className="text-lg font-semibold">
        {t('health.duplicates.title')}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t('health.duplicates.summary', { groups: groups.length, links: n(links) })}</p>
      <p className="mt-2 text-sm text-slate-700">{t('health.duplicates.what')}</p>
      <h3 className="mt-3 text-sm font-semibold">{t('health.whatToDo')}</h3>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700">
        <li>{t('health.duplicates.todoKeep')}</li>
        <li>{t('health.duplicates.todoNoneValid')}</li>
        <li>{t('health.duplicates.todoPrevent')}</li>
      </ul>
      {groups.length > 0 ? (
        <RouterLink to="/links" search={{ ...listSearch, duplicate: 'true' }} className={cn(linkClass, 'mt-3 inline-block text-sm')}>
          {t('health.duplicates.openAll', { count: links })}
        </RouterLink>
      ) : null}
      <ol className="mt-4 grid gap-3 xl:grid-cols-2">
        {groups.slice(0, groupsShown).map((group) => (
          <DuplicateGroupCard key={`${group.institution}|${group.institution_user_id}`} group={group} />
        ))}
      </ol>
      {groups.length > groupsShown ? <p className="mt-3 text-sm text-slate-600">{t('health.duplicates.more', { shown: groupsShown, groups: groups.length })}</p> : null}
    </section>
  );
}

/** The newest valid link is the one to keep (seed 003, tip 5); with none valid, the newest. */
function linkToKeep(group: DuplicateGroup): string | undefined {
  return (group.links.find((link) => link.status === 'valid') ?? group.links[0])?.id;
}

function DuplicateGroupCard({ group }: { group: DuplicateGroup }) {
  const { t, locale } = useT();
  const keep = linkToKeep(group);
  const anyValid = group.links.some((link) => link.status === 'valid');
  const headingId = `dup-${group.institution}-${group.institution_user_id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <li aria-labelledby={headingId} className="rounded-md border border-slate-200 p-3">
      <h3 id={headingId} className="flex flex-wrap items-center gap-x-2 text-sm font-semibold">
        <span className="font-mono">{group.institution}</span>
        <span className="font-normal text-slate-600">·</span>
        <span className="font-mono text-xs font-normal" title={group.institution_user_id}>
          {t('health.duplicates.user', { id: `${group.institution_user_id.slice(0, 12)}…` })}
        </span>
        <CopyButton value={group.institution_user_id} label={t('health.duplicates.institutionUserId')} />
      </h3>
      <RouterLink
        to="/links"
        search={{ ...listSearch, institution: group.institution, q: group.institution_user_id }}
        className={cn(linkClass, 'text-sm')}
      >
        {t('health.duplicates.openGroup', { count: group.links.length })}
      </RouterLink>
      <table className="mt-2 w-full text-left text-sm">
        <caption className="sr-only">{t('health.duplicates.groupCaption', { institution: group.institution })}</caption>
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              {t('health.duplicates.columns.id')}
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              {t('health.duplicates.columns.status')}
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              {t('health.duplicates.columns.created')}
            </th>
            <th scope="col" className="py-1 font-medium">
              {t('health.duplicates.advice')}
            </th>
          </tr>
        </thead>
        <tbody>
          {group.links.map((link) => (
            <tr key={link.id} className="border-t border-slate-100">
              <td className="py-1 pr-2 font-mono text-xs">
                <RouterLink to="/links/$linkId" params={{ linkId: link.id }} aria-label={t('health.duplicates.openLink', { id: link.id })} className={linkClass}>
                  {shortId(link.id)}
                </RouterLink>
              </td>
              <td className="py-1 pr-2">{t(`status.${link.status}`)}</td>
              <td className="py-1 pr-2 whitespace-nowrap text-slate-700">
                <time dateTime={link.created_at}>{formatDateTime(Date.parse(link.created_at), locale)}</time>
              </td>
              <td className="py-1">
                {link.id === keep ? (
                  <span className="rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">
                    {anyValid ? t('health.duplicates.keep') : t('health.duplicates.keepUpdate')}
                  </span>
                ) : (
                  <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-900">{t('health.duplicates.deleteCandidate')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
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
                  <tr>
                    <Th>{t('health.history.day')}</Th>
                    {healthStatuses.map((status) => (
                      <Th key={status} className="text-right">
                        {t(`status.${status}`)}
                      </Th>
                    ))}
                    <Th className="text-right">{t('health.matrix.total')}</Th>
                  </tr>
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
