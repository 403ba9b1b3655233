import { useId } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { pageSizes } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { formatNumber } from '../../../lib/format.ts';

export function Pagination({
  page,
  pageSize,
  count,
  onChange,
}: {
  page: number;
  pageSize: number;
  count: number;
  onChange(patch: { page?: number; page_size?: number }): void;
}) {
  const { t, locale } = useT();
  const sizeId = useId();
  const pages = Math.max(1, Math.ceil(count / pageSize));
  const from = count === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(count, page * pageSize);
  const n = (value: number) => formatNumber(value, locale);
  return (
    <nav aria-label={t('pagination.label')} className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-slate-600" aria-live="polite">
        {t('links.range', { from: n(from), to: n(to), count: n(count) })}
      </p>
      <div className="flex items-center gap-3">
        <label htmlFor={sizeId} className="text-slate-600">
          {t('pagination.pageSize')}
        </label>
        <select
          id={sizeId}
          value={pageSize}
          onChange={(event) => onChange({ page_size: Number(event.target.value), page: 1 })}
          className="rounded-md border border-slate-300 bg-white px-2 py-1"
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <Button onClick={() => onChange({ page: page - 1 })} disabled={page <= 1} aria-label={t('pagination.previous')}>
          <span aria-hidden="true">‹</span>
        </Button>
        <span className="tabular-nums text-slate-700">{t('pagination.page', { page: n(page), pages: n(pages) })}</span>
        <Button onClick={() => onChange({ page: page + 1 })} disabled={page >= pages} aria-label={t('pagination.next')}>
          <span aria-hidden="true">›</span>
        </Button>
      </div>
    </nav>
  );
}
