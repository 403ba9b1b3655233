import { Link as RouterLink } from '@tanstack/react-router';
import type { JobAction } from '../../../../contract/bff/jobs.ts';
import { type Health } from '../../../../contract/bff/link-index.ts';
import { formatNumber } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { ActOnLinks } from './act-on-links.tsx';
import { linkClass, listSearch } from './health-links.ts';

type StaleEntry = { key: string; label: string; count: number; search: Record<string, string> };

/** One kind of stale link: its count (a link into the list when there are any), its rule, and its breakdown. */
function StaleKind({
  title,
  count,
  search,
  rule,
  entries,
  actOnLabel,
  action,
}: {
  title: string;
  count: number;
  search: Record<string, string>;
  rule: string;
  entries: StaleEntry[];
  actOnLabel: string;
  /** What the dialog offers first: a refresh for links not read lately, a delete for long-broken ones. */
  action: JobAction;
}) {
  const shown = entries.filter((entry) => entry.count > 0);
  return (
    <>
      <h3 className="mt-3 text-sm font-semibold">
        {count > 0 ? (
          <RouterLink to="/links" search={{ ...listSearch, ...search }} className={linkClass}>
            {title}
          </RouterLink>
        ) : (
          title
        )}
      </h3>
      <p className="text-sm text-slate-600">{rule}</p>
      {/* A stale set is a filter of the index: the job selects by it, as the list link does. */}
      {count > 0 ? (
        <div className="mt-1">
          <ActOnLinks target={{ filter: search }} label={actOnLabel} initialAction={action} />
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul className="mt-1 flex flex-wrap gap-x-4 text-sm">
          {shown.map((entry) => (
            <li key={entry.key}>
              <RouterLink to="/links" search={{ ...listSearch, ...entry.search }} className={linkClass}>
                {entry.label}
              </RouterLink>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

export function Stale({ health }: { health: Health }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  const { stale } = health;
  return (
    <section aria-labelledby="health-stale" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-stale" className="text-lg font-semibold">
        {t('health.stale.title')}
      </h2>
      <p className="mt-2 text-3xl font-semibold tabular-nums">{n(stale.total)}</p>
      <StaleKind
        title={t('health.stale.notAccessed', { n: n(stale.not_accessed) })}
        count={stale.not_accessed}
        search={{ stale: 'not_accessed' }}
        actOnLabel={t('health.actOn.stale', { count: stale.not_accessed })}
        action="refresh"
        rule={t('health.stale.notAccessedRule', { factor: formatNumber(stale.thresholds.refresh_rate_factor, locale) })}
        entries={stale.not_accessed_by_refresh_rate.map((entry) => ({
          key: entry.refresh_rate,
          label: t('health.stale.byRefreshRate', { rate: t(`refreshRate.${entry.refresh_rate}`), n: n(entry.count) }),
          count: entry.count,
          search: { stale: 'not_accessed', refresh_rate: entry.refresh_rate },
        }))}
      />
      <StaleKind
        title={t('health.stale.broken', { n: n(stale.broken) })}
        count={stale.broken}
        search={{ stale: 'broken' }}
        actOnLabel={t('health.actOn.stale', { count: stale.broken })}
        action="delete"
        rule={t('health.stale.brokenRule', { days: stale.thresholds.broken_days })}
        entries={stale.broken_by_status.map((entry) => ({
          key: entry.status,
          label: t('health.summary.status', { status: t(`status.${entry.status}`), n: n(entry.count) }),
          count: entry.count,
          search: { stale: 'broken', status: entry.status },
        }))}
      />
      <p className="mt-3 text-sm text-slate-700">{t('health.stale.what')}</p>
    </section>
  );
}
