import { useId, useState, type FormEvent } from 'react';
import { useT } from '../../../lib/i18n.ts';
import { sandboxInstitutions } from '../../../../contract/institutions.ts';
import { externalIdPattern, institutionPattern, linkStatuses, type LinkStatus } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { formatNumber } from '../../../lib/format.ts';
import { FiltersPanel } from './filters-panel.tsx';
import type { LinksSearch } from '../../../shared/links/queries.ts';

export type StatusCounts = Partial<Record<LinkStatus | 'all', number>>;

function TextFilter({
  label,
  rule,
  invalidMessage,
  pattern,
  value,
  onDraftChange,
  listId,
  name,
}: {
  label: string;
  rule: string;
  invalidMessage: string;
  pattern: RegExp;
  value: string;
  onDraftChange(value: string): void;
  listId?: string;
  name: string;
}) {
  const id = useId();
  const invalid = value !== '' && !pattern.test(value);
  return (
    <div className="flex min-w-0 flex-1 basis-56 flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        value={value}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onDraftChange(event.target.value.trim())}
        aria-invalid={invalid}
        aria-describedby={`${id}-rule`}
        className={cn(
          'rounded-md border px-2.5 py-1.5 font-mono text-sm',
          invalid ? 'border-red-500 bg-red-50' : 'border-slate-300 bg-white',
        )}
      />
      <p id={`${id}-rule`} className={cn('text-xs', invalid ? 'text-red-700' : 'text-slate-500')} aria-live="polite">
        {invalid ? invalidMessage : rule}
      </p>
    </div>
  );
}

/**
 * Status as a radio group with a count per status; external_id and institution validated as you
 * type and applied on Enter or "Apply". Any change goes back to page 1.
 */
export function LinksFilters({
  search,
  counts,
  onChange,
}: {
  search: LinksSearch;
  counts: StatusCounts;
  onChange(patch: Partial<LinksSearch>): void;
}) {
  const { t, locale } = useT();
  const options: (LinkStatus | 'all')[] = ['all', ...linkStatuses];
  const activeCount = [search.status, search.external_id, search.institution].filter(Boolean).length;

  return (
    <FiltersPanel activeCount={activeCount}>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-slate-700">{t('filters.status')}</legend>
        <div className="flex flex-wrap gap-1.5">
          {options.map((option) => {
            const checked = option === 'all' ? !search.status : search.status === option;
            const label = option === 'all' ? t('filters.allStatuses') : t(`status.${option}`);
            const count = counts[option];
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
                  onChange={() => onChange({ status: option === 'all' ? undefined : option, page: 1 })}
                  className="sr-only"
                />
                {count === undefined ? label : t('filters.withCount', { label, n: formatNumber(count, locale) })}
              </label>
            );
          })}
        </div>
      </fieldset>
      {/* Remounted when the URL's values change (back/forward, a shared link), so the drafts start from them. */}
      <TextFilters key={`${search.external_id ?? ''}|${search.institution ?? ''}`} search={search} onChange={onChange} />
    </FiltersPanel>
  );
}

function TextFilters({ search, onChange }: { search: LinksSearch; onChange(patch: Partial<LinksSearch>): void }) {
  const { t } = useT();
  const [externalId, setExternalId] = useState(search.external_id ?? '');
  const [institution, setInstitution] = useState(search.institution ?? '');
  const institutionsListId = useId();

  const draftValid =
    (externalId === '' || externalIdPattern.test(externalId)) && (institution === '' || institutionPattern.test(institution));
  const draftChanged = externalId !== (search.external_id ?? '') || institution !== (search.institution ?? '');
  const hasFilters = Boolean(search.status || search.external_id || search.institution);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draftValid) return;
    onChange({ external_id: externalId || undefined, institution: institution || undefined, page: 1 });
  };

  return (
    <form onSubmit={submit} className="flex flex-wrap items-start gap-3" noValidate>
      <TextFilter
        name="external_id"
        label={t('filters.externalId')}
        rule={t('filters.externalIdRule')}
        invalidMessage={t('filters.externalIdInvalid')}
        pattern={externalIdPattern}
        value={externalId}
        onDraftChange={setExternalId}
      />
      <TextFilter
        name="institution"
        label={t('filters.institution')}
        rule={t('filters.institutionRule')}
        invalidMessage={t('filters.institutionInvalid')}
        pattern={institutionPattern}
        value={institution}
        onDraftChange={setInstitution}
        listId={institutionsListId}
      />
      <datalist id={institutionsListId}>
        {sandboxInstitutions.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <div className="flex gap-2 pt-6">
        <Button type="submit" variant="primary" disabled={!draftValid || !draftChanged}>
          {t('filters.apply')}
        </Button>
        <Button
          disabled={!hasFilters}
          onClick={() => onChange({ status: undefined, external_id: undefined, institution: undefined, page: 1 })}
        >
          {t('filters.clearAll')}
        </Button>
      </div>
    </form>
  );
}
