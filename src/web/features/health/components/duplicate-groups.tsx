import { useInfiniteQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { useState } from 'react';
import { type DuplicateGroup } from '../../../../contract/bff/link-index.ts';
import { Button } from '../../../components/ui/button.tsx';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { formatDateTime, formatNumber, shortId } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { healthQueries } from '../queries.ts';
import { ActOnLinks } from './act-on-links.tsx';
import { linkClass, listSearch } from './health-links.ts';

/** How many duplicate groups are listed at first, and how many more each "Show more groups" adds. */
const groupsShown = 12;
const groupsMore = 50;

/**
 * The duplicate groups, newest first. The health report carries the newest few of them and the
 * count of all; the rest load from /bff/health/duplicates only when someone asks for more.
 */
export function Duplicates({ groups: newest, count, links }: { groups: DuplicateGroup[]; count: number; links: number }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  const [wanted, setWanted] = useState(groupsShown);
  const more = useInfiniteQuery({ ...healthQueries.moreDuplicateGroups(), enabled: wanted > newest.length && count > newest.length });
  const loaded = [...newest, ...(more.data?.pages.flatMap((page) => page.groups) ?? [])];
  const shown = loaded.slice(0, wanted);
  const showMore = () => {
    const next = wanted + groupsMore;
    setWanted(next);
    // The first page loads when the query is enabled; later ones when the groups loaded run short.
    if (more.data && loaded.length < next && more.hasNextPage) void more.fetchNextPage();
  };
  return (
    <section aria-labelledby="health-duplicates" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="health-duplicates" className="text-lg font-semibold">
        {t('health.duplicates.title')}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t('health.duplicates.summary', { groups: count, links: n(links) })}</p>
      <p className="mt-2 text-sm text-slate-700">{t('health.duplicates.what')}</p>
      <h3 className="mt-3 text-sm font-semibold">{t('health.whatToDo')}</h3>
      <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700">
        <li>{t('health.duplicates.todoKeep')}</li>
        <li>{t('health.duplicates.todoNoneValid')}</li>
        <li>{t('health.duplicates.todoPrevent')}</li>
      </ul>
      {count > 0 ? (
        <RouterLink to="/links" search={{ ...listSearch, duplicate: 'true' }} className={cn(linkClass, 'mt-3 inline-block text-sm')}>
          {t('health.duplicates.openAll', { count: links })}
        </RouterLink>
      ) : null}
      <ol className="mt-4 grid gap-3 xl:grid-cols-2">
        {shown.map((group) => (
          <DuplicateGroupCard key={`${group.institution}|${group.institution_user_id}`} group={group} />
        ))}
      </ol>
      {count > shown.length ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <p role="status" className="text-sm text-slate-600">
            {t('health.duplicates.more', { shown: n(shown.length), groups: n(count) })}
          </p>
          <Button onClick={showMore} disabled={more.isFetching} aria-busy={more.isFetching}>
            {t('health.duplicates.showMore')}
          </Button>
        </div>
      ) : null}
      {more.error ? <ErrorPanel compact title={t('health.duplicates.moreFailed')} error={more.error} onRetry={() => void more.refetch()} /> : null}
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
  const candidates = group.links.filter((link) => link.id !== keep).map((link) => link.id);
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
      {candidates.length > 0 ? (
        <span className="ml-3">
          <ActOnLinks target={{ link_ids: candidates }} label={t('health.actOn.olderLinks', { count: candidates.length })} />
        </span>
      ) : null}
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

