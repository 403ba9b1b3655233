import { useState } from 'react';
import type { JobAction } from '../../../../contract/bff/jobs.ts';
import { Button } from '../../../components/ui/button.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { BulkJobLauncher } from '../../../shared/jobs/components/bulk-job-launcher.tsx';
import type { JobTarget } from '../../../shared/jobs/queries.ts';

/**
 * How many links are chosen, "select all N matching" when the index can act by filter, and the
 * bulk actions. Always mounted (hidden while nothing is chosen) so its status is announced.
 */
export function SelectionBar({
  count,
  target,
  actions,
  matching,
  onClear,
}: {
  count: number;
  target: JobTarget;
  actions: JobAction[];
  /** Every link the filters match, when the index can select by filter and not all are chosen yet. */
  matching?: { count: number; onSelect(): void };
  onClear(): void;
}) {
  useDeferredMessages();
  const { t, locale } = useT();
  const [dialog, setDialog] = useState<JobAction | null>(null);
  const allMatching = 'filter' in target;
  return (
    <section
      aria-label={t('selection.label')}
      hidden={count === 0}
      className="sticky top-0 z-20 flex flex-wrap items-center gap-2 rounded-lg border border-brand-300 bg-brand-50 px-3 py-2 text-sm"
    >
      <p role="status" className="font-medium">
        {count === 0 ? '' : allMatching ? t('selection.allMatching', { count: formatNumber(count, locale) }) : t('selection.count', { count })}
      </p>
      {matching ? (
        <Button size="sm" variant="ghost" className="underline" onClick={matching.onSelect}>
          {t('selection.selectAllMatching', { count: formatNumber(matching.count, locale) })}
        </Button>
      ) : null}
      <span className="flex-1" />
      {actions.includes('delete') ? (
        <Button size="sm" variant="danger" onClick={() => setDialog('delete')}>
          {t('selection.delete')}
        </Button>
      ) : null}
      {actions.includes('refresh') ? (
        <Button size="sm" onClick={() => setDialog('refresh')}>
          {t('selection.refresh')}
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" onClick={onClear}>
        {t('selection.clear')}
      </Button>
      <BulkJobLauncher target={target} actions={actions} action={dialog} onClose={() => setDialog(null)} />
    </section>
  );
}
