import { useT } from '../../lib/i18n.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { Tooltip } from './tooltip.tsx';

/**
 * "3 hours ago", with the exact local time on hover and focus, and in a <time> for machines.
 * `clockOffsetMs` is how far the server's clock (which wrote `iso`) is ahead of this browser's:
 * without it, a time the server just wrote reads "in 5 seconds".
 */
export function RelativeTime({ iso, fallback, clockOffsetMs = 0 }: { iso: string | null | undefined; fallback: string; clockOffsetMs?: number }) {
  const { t, locale } = useT();
  const now = useNow(30_000) + clockOffsetMs;
  if (!iso) return <span className="text-slate-600">{fallback}</span>;
  const epoch = Date.parse(iso);
  if (Number.isNaN(epoch)) return <span>{iso}</span>;
  const exact = formatDateTime(epoch, locale, 'long');
  return (
    <Tooltip content={t('time.exact', { time: exact })}>
      <time dateTime={iso} tabIndex={0} className="cursor-help whitespace-nowrap underline decoration-dotted decoration-slate-300 underline-offset-4">
        {formatRelative(epoch, now, locale)}
      </time>
    </Tooltip>
  );
}
