import { useT } from '../../../lib/i18n.ts';
import type { LinkStatus } from '../../../../contract/links.ts';
import { Tooltip } from '../../../components/ui/tooltip.tsx';
import { cn } from '../../../components/ui/cn.ts';

const colours: Record<LinkStatus, string> = {
  valid: 'bg-green-100 text-green-900 ring-green-600/30',
  invalid: 'bg-red-100 text-red-900 ring-red-600/30',
  unconfirmed: 'bg-amber-100 text-amber-950 ring-amber-600/40',
  token_required: 'bg-purple-100 text-purple-900 ring-purple-600/30',
};

const dots: Record<LinkStatus, string> = {
  valid: 'bg-status-valid',
  invalid: 'bg-status-invalid',
  unconfirmed: 'bg-status-unconfirmed',
  token_required: 'bg-status-token',
};

/** The status as a coloured badge (with text, never colour alone) and what it means and what to do. */
export function StatusBadge({ status }: { status: LinkStatus }) {
  const { t } = useT();
  return (
    <Tooltip
      content={
        <span>
          <span className="block">{t(`status.meaning.${status}`)}</span>{' '}
          <span className="mt-1 block font-medium">{t('status.whatToDo', { action: t(`status.action.${status}`) })}</span>
        </span>
      }
    >
      <span
        tabIndex={0}
        data-status={status}
        className={cn('inline-flex cursor-help items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', colours[status])}
      >
        <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', dots[status])} />
        {t(`status.${status}`)}
      </span>
    </Tooltip>
  );
}
