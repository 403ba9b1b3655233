import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { useT } from '../../../lib/i18n.ts';
import type { Link } from '../../../../contract/links.ts';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { linkQueries, operationsQueries } from '../../../shared/links/queries.ts';
import { BackToLinks } from './back-to-links.tsx';
import { LinkActions } from '../../../shared/links/components/link-actions.tsx';
import { LinkSupportActions } from '../../../shared/links/components/link-support-actions.tsx';
import { LinkActivity } from './link-activity.tsx';
import { StatusBadge } from '../../../shared/links/components/status-badge.tsx';

const orderedFields = [
  'id',
  'institution',
  'external_id',
  'status',
  'access_mode',
  'refresh_rate',
  'last_accessed_at',
  'created_at',
  'created_by',
  'institution_user_id',
  'credentials_storage',
  'stale_in',
  'fetch_resources',
] as const;

const copyable = new Set(['id', 'external_id', 'institution_user_id', 'created_by']);

function FieldValue({ link, field }: { link: Link; field: (typeof orderedFields)[number] }) {
  const { t, locale } = useT();
  const { data: operations } = useQuery(operationsQueries.state());
  const value = link[field];
  switch (field) {
    case 'status':
      return <StatusBadge status={link.status} />;
    case 'access_mode':
      return <>{t(`accessMode.${link.access_mode ?? 'none'}`)}</>;
    case 'refresh_rate':
      return <>{link.refresh_rate ? `${link.refresh_rate} · ${t(`refreshRate.${link.refresh_rate}`)}` : t('refreshRate.none')}</>;
    case 'last_accessed_at':
      return <RelativeTime iso={link.last_accessed_at} fallback={t('links.never')} clockOffsetMs={operations?.clockOffsetMs ?? 0} />;
    case 'created_at':
      return (
        <time dateTime={link.created_at}>{formatDateTime(Date.parse(link.created_at), locale, 'long')}</time>
      );
    case 'external_id':
      if (link.external_id === null) {
        return (
          <span>
            <span className="rounded border border-dashed border-amber-500 px-1.5 text-amber-900">{t('links.orphan')}</span>
            <span className="ml-2 text-sm text-slate-600">{t('links.orphanHint')}</span>
          </span>
        );
      }
      break;
    case 'fetch_resources':
      return link.fetch_resources && link.fetch_resources.length > 0 ? (
        <ul className="flex flex-wrap gap-1">
          {link.fetch_resources.map((resource) => (
            <li key={resource} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
              {resource}
            </li>
          ))}
        </ul>
      ) : (
        <span className="text-slate-500">{t('detail.none')}</span>
      );
  }
  if (value === null || value === undefined) return <span className="text-slate-500">—</span>;
  return (
    <span className="inline-flex items-center gap-1 break-all font-mono text-sm">
      {String(value)}
      {copyable.has(field) ? <CopyButton value={String(value)} label={t(`detail.field.${field}`)} /> : null}
    </span>
  );
}

/** Every field of a link, what its status means, possible duplicates, and the raw JSON. */
export function LinkDetailPage({ linkId }: { linkId: string }) {
  const { t } = useT();
  const { data: link } = useSuspenseQuery(linkQueries.detail(linkId));
  const sameUser = useQuery({
    ...linkQueries.sameInstitutionUser(link.institution_user_id ?? ''),
    enabled: Boolean(link.institution_user_id),
  });
  const others = (sameUser.data?.results ?? []).filter((candidate) => candidate.id !== link.id);
  const json = JSON.stringify(link, null, 2);

  return (
    <div className="space-y-6">
      <BackToLinks />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex items-center gap-2 text-2xl font-semibold tracking-tight">
            {t('detail.title', { id: link.id.slice(0, 8) })}
            <StatusBadge status={link.status} />
          </h1>
          <p className="mt-1 text-slate-600">
            {t(`status.meaning.${link.status}`)} {t('status.whatToDo', { action: t(`status.action.${link.status}`) })}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          <LinkSupportActions link={link} />
          <LinkActions link={link} size="md" />
        </div>
      </div>

      {others.length > 0 ? (
        <div role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p>{t('detail.duplicateOf', { count: others.length })}</p>
          <ul className="mt-1 flex flex-wrap gap-2">
            {others.map((other) => (
              <li key={other.id}>
                <RouterLink to="/links/$linkId" params={{ linkId: other.id }} className="font-mono text-brand-700 hover:underline">
                  {other.id.slice(0, 8)}
                </RouterLink>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <section aria-labelledby="link-fields" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="link-fields" className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-700">
          {t('detail.fields')}
        </h2>
        <dl className="grid grid-cols-1 divide-y divide-slate-100 sm:grid-cols-[14rem_1fr]">
          {orderedFields.map((field) => (
            <div key={field} className="contents">
              <dt className="px-4 py-2 text-sm text-slate-600">
                {t(`detail.field.${field}`)} <code className="ml-1 text-xs text-slate-600">{field}</code>
              </dt>
              <dd className="px-4 py-2">
                <FieldValue link={link} field={field} />
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <LinkActivity linkId={link.id} />

      <section aria-labelledby="link-raw" className="rounded-lg border border-slate-200 bg-white">
        <div className="flex items-center justify-between border-b border-slate-200 px-4 py-2">
          <h2 id="link-raw" className="text-sm font-semibold text-slate-700">
            {t('detail.raw')}
          </h2>
          <CopyButton value={json} label={t('detail.raw')} />
        </div>
        <pre className="overflow-auto p-4 font-mono text-xs leading-relaxed text-slate-800">{json}</pre>
      </section>
    </div>
  );
}
