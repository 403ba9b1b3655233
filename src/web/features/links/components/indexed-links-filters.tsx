import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { staleKinds, type StatusCounts } from '../../../../contract/bff/link-index.ts';
import { sandboxInstitutions } from '../../../../contract/institutions.ts';
import { accessModes, institutionPattern, linkStatuses, refreshRates, type LinkStatus } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { formatNumber } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { FiltersPanel } from './filters-panel.tsx';
import type { IndexedListSearch } from '../../../shared/link-index/queries.ts';

/** Everything a "Clear all filters" resets (the sort and the page size stay). */
export const noIndexFilters = {
  status: undefined,
  institution: undefined,
  external_id: undefined,
  q: undefined,
  access_mode: undefined,
  refresh_rate: undefined,
  created_from: undefined,
  created_to: undefined,
  orphan: undefined,
  duplicate: undefined,
  stale: undefined,
  page: 1,
} satisfies Partial<IndexedListSearch>;

export function hasIndexFilters(search: IndexedListSearch): boolean {
  return (Object.keys(noIndexFilters) as (keyof typeof noIndexFilters)[]).some((key) => key !== 'page' && search[key] !== undefined);
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const fieldClass = 'rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm';
const labelClass = 'text-sm font-medium text-slate-700';

function Field({ label, children, hint }: { label: string; children: (id: string, hintId: string | undefined) => ReactNode; hint?: string }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children(id, hintId)}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The index-backed list's filters: status with counts (all four from the one response), one
 * search box, institution, access mode, refresh rate, staleness, a created date range, orphans
 * only and duplicates only. Choices apply at once; typed text on Enter or "Apply". Every change
 * goes back to page 1.
 */
export function IndexedLinksFilters({
  search,
  counts,
  onChange,
}: {
  search: IndexedListSearch;
  counts: StatusCounts | undefined;
  onChange(patch: Partial<IndexedListSearch>): void;
}) {
  const { t, locale } = useT();
  const options: (LinkStatus | 'all')[] = ['all', ...linkStatuses];
  const all = counts ? linkStatuses.reduce((sum, status) => sum + counts[status], 0) : undefined;
  const apply = (patch: Partial<IndexedListSearch>) => onChange({ ...patch, page: 1 });

  const activeCount = (Object.keys(noIndexFilters) as (keyof typeof noIndexFilters)[]).filter((key) => key !== 'page' && search[key] !== undefined).length;

  return (
    <FiltersPanel activeCount={activeCount}>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-slate-700">{t('filters.status')}</legend>
        <div className="flex flex-wrap gap-1.5">
          {options.map((option) => {
            const checked = option === 'all' ? !search.status : search.status === option;
            const label = option === 'all' ? t('filters.allStatuses') : t(`status.${option}`);
            const count = option === 'all' ? all : counts?.[option];
            return (
              <label
                key={option}
                className={cn(
                  'cursor-pointer rounded-full border px-3 py-1 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500',
                  checked ? 'border-brand-600 bg-brand-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-100',
                )}
              >
                <input
                  type="radio"
                  name="status"
                  value={option}
                  checked={checked}
                  onChange={() => apply({ status: option === 'all' ? undefined : option })}
                  className="sr-only"
                />
                {count === undefined ? label : t('filters.withCount', { label, n: formatNumber(count, locale) })}
              </label>
            );
          })}
        </div>
      </fieldset>
      {/* Remounted when the URL's values change (back/forward, a shared link), so the drafts start from them. */}
      <TextFilters key={`${search.q ?? search.external_id ?? ''}|${search.institution ?? ''}`} search={search} onChange={apply} />
      <div className="flex flex-wrap items-end gap-3">
        <Field label={t('indexList.accessMode')}>
          {(id) => (
            <select id={id} value={search.access_mode ?? ''} onChange={(event) => apply({ access_mode: (event.target.value || undefined) as IndexedListSearch['access_mode'] })} className={fieldClass}>
              <option value="">{t('indexList.any')}</option>
              {accessModes.map((mode) => (
                <option key={mode} value={mode}>
                  {t(`accessMode.${mode}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('indexList.refreshRate')}>
          {(id) => (
            <select id={id} value={search.refresh_rate ?? ''} onChange={(event) => apply({ refresh_rate: (event.target.value || undefined) as IndexedListSearch['refresh_rate'] })} className={fieldClass}>
              <option value="">{t('indexList.any')}</option>
              {refreshRates.map((rate) => (
                <option key={rate} value={rate}>
                  {t(`refreshRate.${rate}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('indexList.stale')}>
          {(id) => (
            <select id={id} value={search.stale ?? ''} onChange={(event) => apply({ stale: (event.target.value || undefined) as IndexedListSearch['stale'] })} className={fieldClass}>
              <option value="">{t('indexList.staleAll')}</option>
              {staleKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`indexList.staleKind.${kind}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('indexList.createdFrom')}>
          {(id) => (
            <input
              id={id}
              type="date"
              value={search.created_from?.slice(0, 10) ?? ''}
              max={search.created_to?.slice(0, 10)}
              onChange={(event) => {
                const value = event.target.value;
                if (value === '' || dayPattern.test(value)) apply({ created_from: value || undefined });
              }}
              className={fieldClass}
            />
          )}
        </Field>
        <Field label={t('indexList.createdTo')}>
          {(id) => (
            <input
              id={id}
              type="date"
              value={search.created_to?.slice(0, 10) ?? ''}
              min={search.created_from?.slice(0, 10)}
              onChange={(event) => {
                const value = event.target.value;
                if (value === '' || dayPattern.test(value)) apply({ created_to: value || undefined });
              }}
              className={fieldClass}
            />
          )}
        </Field>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-800">
          <input type="checkbox" checked={search.orphan === 'true'} onChange={(event) => apply({ orphan: event.target.checked ? 'true' : undefined })} className="h-4 w-4 accent-brand-600" />
          {t('indexList.orphansOnly')}
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-800">
          <input type="checkbox" checked={search.duplicate === 'true'} onChange={(event) => apply({ duplicate: event.target.checked ? 'true' : undefined })} className="h-4 w-4 accent-brand-600" />
          {t('indexList.duplicatesOnly')}
        </label>
      </div>
    </FiltersPanel>
  );
}

function TextFilters({ search, onChange }: { search: IndexedListSearch; onChange(patch: Partial<IndexedListSearch>): void }) {
  const { t } = useT();
  const [query, setQuery] = useState(search.q ?? search.external_id ?? '');
  const [institution, setInstitution] = useState(search.institution ?? '');
  const institutionsListId = useId();
  const queryId = useId();
  const institutionId = useId();

  const institutionValid = institution === '' || institutionPattern.test(institution);
  const queryValid = query.length <= 200;
  const draftChanged = query !== (search.q ?? search.external_id ?? '') || institution !== (search.institution ?? '');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!institutionValid || !queryValid) return;
    onChange({ q: query || undefined, external_id: undefined, institution: institution || undefined });
  };

  return (
    <form role="search" aria-label={t('indexList.searchLabel')} onSubmit={submit} className="flex flex-wrap items-start gap-3" noValidate>
      <div className="flex min-w-0 flex-[2] basis-72 flex-col gap-1">
        <label htmlFor={queryId} className={labelClass}>
          {t('indexList.search')}
        </label>
        <input
          id={queryId}
          type="search"
          name="q"
          value={query}
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          onChange={(event) => setQuery(event.target.value.trim())}
          aria-describedby={`${queryId}-rule`}
          className={cn(fieldClass, 'font-mono')}
        />
        <p id={`${queryId}-rule`} className="text-xs text-slate-600">
          {t('indexList.searchRule')}
        </p>
      </div>
      <div className="flex min-w-0 flex-1 basis-56 flex-col gap-1">
        <label htmlFor={institutionId} className={labelClass}>
          {t('filters.institution')}
        </label>
        <input
          id={institutionId}
          name="institution"
          value={institution}
          list={institutionsListId}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setInstitution(event.target.value.trim())}
          aria-invalid={!institutionValid}
          aria-describedby={`${institutionId}-rule`}
          className={cn(fieldClass, 'font-mono', !institutionValid && 'border-red-500 bg-red-50')}
        />
        <p id={`${institutionId}-rule`} className={cn('text-xs', institutionValid ? 'text-slate-600' : 'text-red-700')} aria-live="polite">
          {institutionValid ? t('filters.institutionRule') : t('filters.institutionInvalid')}
        </p>
        <datalist id={institutionsListId}>
          {sandboxInstitutions.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <div className="flex gap-2 pt-6">
        <Button type="submit" variant="primary" disabled={!institutionValid || !queryValid || !draftChanged}>
          {t('filters.apply')}
        </Button>
        <Button disabled={!hasIndexFilters(search)} onClick={() => onChange(noIndexFilters)}>
          {t('filters.clearAll')}
        </Button>
      </div>
    </form>
  );
}
