import { Link as RouterLink } from '@tanstack/react-router';
import { useMemo } from 'react';
import { healthStatuses, type Health } from '../../../../contract/bff/link-index.ts';
import type { LinkStatus } from '../../../../contract/links.ts';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { linkClass, listSearch } from './health-links.ts';

export function share(part: number, whole: number, locale: string): string {
  if (whole === 0) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}

export function StatusMatrix({ health }: { health: Health }) {
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
            <StatusColumnsHeader first={t('health.matrix.institution')} />
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


/** A header row: the row label's column, one per status, and the total (the matrix and the daily history share it). */
export function StatusColumnsHeader({ first }: { first: string }) {
  const { t } = useT();
  return (
    <tr>
      <Th>{first}</Th>
      {healthStatuses.map((status) => (
        <Th key={status} className="text-right">
          {t(`status.${status}`)}
        </Th>
      ))}
      <Th className="text-right">{t('health.matrix.total')}</Th>
    </tr>
  );
}
