import { useInfiniteQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { auditQueries, auditQueryString, linkIdFilterPattern, type AuditSearch } from '../queries.ts';
import { AuditTable, auditOutcomes, useActionName, useOutcomeName } from './audit-table.tsx';

const field = 'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm';

/** One of a list, or any (the empty choice clears the filter). */
function ChoiceFilter({
  label,
  anyLabel,
  value,
  choices,
  onChange,
  nameOf = (choice) => choice,
}: {
  label: string;
  anyLabel: string;
  value: string | undefined;
  choices: readonly string[];
  onChange(value: string | undefined): void;
  nameOf?(choice: string): string;
}) {
  return (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{label}</span>
      <select className={field} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">{anyLabel}</option>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {nameOf(choice)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The audit log: filter by person, action, link, outcome and time; export exactly those rows. */
export function AuditPage({ search, onSearchChange }: { search: AuditSearch; onSearchChange(next: AuditSearch): void }) {
  useDeferredMessages();
  const { t } = useT();
  const actionName = useActionName();
  const outcomeName = useOutcomeName();
  const id = useId();
  const audit = useInfiniteQuery(auditQueries.pages(search));
  const firstPage = audit.data?.pages[0];
  const entries = audit.data?.pages.flatMap((page) => page.entries) ?? [];
  const change = (patch: Partial<AuditSearch>) => onSearchChange({ ...search, ...patch });
  const query = auditQueryString(search);
  // The 8-character id every screen shows, or a whole one.
  const applyLinkId = (raw: string) => {
    const value = raw.trim().toLowerCase();
    if (value === '' || linkIdFilterPattern.test(value)) change({ link_id: value || undefined });
  };

  return (
    <div className="space-y-4">
      <div className="flex items-baseline justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">{t('audit.title')}</h1>
        <a href={`/bff/audit.csv${query ? `?${query}` : ''}`} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100">
          {t('audit.exportCsv')}
        </a>
      </div>
      <p className="text-sm text-slate-600">{t('audit.intro')}</p>
      <section aria-label={t('filters.label')} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6">
        <ChoiceFilter label={t('audit.filters.person')} anyLabel={t('audit.filters.anyone')} value={search.actor} choices={firstPage?.actors ?? []} onChange={(actor) => change({ actor })} />
        <ChoiceFilter label={t('audit.filters.action')} anyLabel={t('audit.filters.any')} value={search.action} choices={firstPage?.actions ?? []} onChange={(action) => change({ action })} nameOf={actionName} />
        <ChoiceFilter label={t('audit.filters.outcome')} anyLabel={t('audit.filters.any')} value={search.outcome} choices={auditOutcomes} onChange={(outcome) => change({ outcome })} nameOf={outcomeName} />
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{t('audit.filters.link')}</span>
          <input
            className={`${field} font-mono`}
            defaultValue={search.link_id ?? ''}
            key={search.link_id ?? ''}
            placeholder="5fbae30b-…"
            onBlur={(event) => applyLinkId(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') applyLinkId(event.currentTarget.value);
            }}
            aria-describedby={`${id}-link-hint`}
          />
          <span id={`${id}-link-hint`} className="block text-xs text-slate-600">
            {t('audit.filters.linkHint')}
          </span>
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{t('audit.filters.from')}</span>
          <input type="datetime-local" className={field} value={search.from ?? ''} onChange={(event) => change({ from: event.target.value || undefined })} />
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">{t('audit.filters.to')}</span>
          <input type="datetime-local" className={field} value={search.to ?? ''} onChange={(event) => change({ to: event.target.value || undefined })} />
        </label>
      </section>
      {audit.error ? <ErrorPanel title={t('audit.failed')} error={audit.error} onRetry={() => void audit.refetch()} /> : null}
      {firstPage && entries.length === 0 ? <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center">{t('audit.noneMatch')}</p> : null}
      {entries.length > 0 ? <AuditTable entries={entries} /> : null}
      {audit.hasNextPage ? (
        <Button onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage}>
          {t('audit.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}
