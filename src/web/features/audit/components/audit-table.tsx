import { Link as RouterLink } from '@tanstack/react-router';
import { cn } from '../../../components/ui/cn.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import type { AuditEntry } from '../queries.ts';

const outcomeColour: Record<string, string> = {
  success: 'bg-green-100 text-green-900',
  accepted: 'bg-sky-100 text-sky-900',
  confirmed: 'bg-green-100 text-green-900',
  attempted: 'bg-slate-100 text-slate-700',
  denied: 'bg-red-100 text-red-900',
  failure: 'bg-red-100 text-red-900',
  refused: 'bg-amber-100 text-amber-950',
  blocked: 'bg-amber-100 text-amber-950',
  throttled: 'bg-red-100 text-red-900',
  token_required: 'bg-purple-100 text-purple-900',
  unknown: 'bg-amber-100 text-amber-950',
  error: 'bg-red-100 text-red-900',
};

function describe(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join(' · ');
}

export function AuditTable({ entries, showLink = true }: { entries: AuditEntry[]; showLink?: boolean }) {
  const { t, locale } = useT();
  return (
    <div className="overflow-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">{t('audit.columns.time')}</th>
            <th scope="col" className="px-3 py-2">{t('audit.columns.who')}</th>
            <th scope="col" className="px-3 py-2">{t('audit.columns.action')}</th>
            <th scope="col" className="px-3 py-2">{t('audit.columns.outcome')}</th>
            {showLink ? <th scope="col" className="px-3 py-2">{t('audit.columns.link')}</th> : null}
            <th scope="col" className="px-3 py-2">{t('audit.columns.requestId')}</th>
            <th scope="col" className="px-3 py-2">{t('audit.columns.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-t border-slate-100 align-top">
              <td className="whitespace-nowrap px-3 py-1.5">
                <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, locale)}</time>
              </td>
              <td className="px-3 py-1.5">
                {entry.actor}
                {entry.role ? <span className="ml-1 text-xs text-slate-500">({entry.role})</span> : null}
              </td>
              <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs">{entry.action}</td>
              <td className="px-3 py-1.5">
                <span className={cn('rounded px-1.5 py-0.5 text-xs font-medium', outcomeColour[entry.outcome] ?? 'bg-slate-100')}>{entry.outcome}</span>
              </td>
              {showLink ? (
                <td className="px-3 py-1.5 font-mono text-xs">
                  {entry.link_id ? (
                    <RouterLink to="/links/$linkId" params={{ linkId: entry.link_id }} className="text-brand-700 hover:underline">
                      {entry.link_id.slice(0, 8)}
                    </RouterLink>
                  ) : null}
                  {entry.external_id ? <span className="block text-slate-500">{entry.external_id}</span> : null}
                </td>
              ) : null}
              <td className="px-3 py-1.5 font-mono text-xs">{entry.belvo_request_id ?? ''}</td>
              <td className="px-3 py-1.5 text-xs text-slate-600">{describe(entry.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
