import { useId, useState, type ReactNode } from 'react';
import { cn } from '../../../components/ui/cn.ts';
import { useT } from '../../../lib/i18n.ts';

/**
 * The box around a links list's filters. On a phone the filters start folded under one button
 * that says how many are active, so the first screen shows links; from `sm` up they are always open.
 */
export function FiltersPanel({ activeCount, children }: { activeCount: number; children: ReactNode }) {
  const { t } = useT();
  const [expanded, setExpanded] = useState(false);
  const bodyId = useId();
  return (
    <section aria-label={t('filters.label')} className="space-y-3 rounded-lg border border-slate-200 bg-white p-3 sm:p-4">
      <button
        type="button"
        aria-expanded={expanded}
        aria-controls={bodyId}
        onClick={() => setExpanded(!expanded)}
        className="flex w-full items-center justify-between rounded text-sm font-medium text-slate-800 sm:hidden"
      >
        <span>
          {t('filters.toggle')}
          {activeCount > 0 ? <span className="ml-2 font-normal text-slate-600">{t('filters.toggleActive', { n: activeCount })}</span> : null}
        </span>
        <span aria-hidden="true">{expanded ? '▴' : '▾'}</span>
      </button>
      <div id={bodyId} className={cn('space-y-3', !expanded && 'hidden sm:block')}>
        {children}
      </div>
    </section>
  );
}
