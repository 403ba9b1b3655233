import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import type { JobAction, JobDeleteMode, JobPreviewItem } from '../../../../contract/bff/jobs.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { ConfirmCancel, ConfirmModal } from '../../../components/ui/modal.tsx';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { TypedConfirmation } from '../../../components/ui/typed-confirmation.tsx';
import { SpacerRow, useVirtualRows } from '../../../components/ui/virtual-rows.tsx';
import { formatNumber, shortId } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { jobQueries, useStartJob, type JobRequest, type JobTarget } from '../queries.ts';

type Choice = 'delete-async' | 'delete-sync' | 'refresh';
const choiceOf = (action: JobAction): Choice => (action === 'delete' ? 'delete-async' : 'refresh');

function requestFor(choice: Choice, target: JobTarget): JobRequest {
  const [action, mode] = choice === 'refresh' ? (['refresh', undefined] as const) : (['delete', choice === 'delete-sync' ? 'sync' : 'async'] as const);
  return { action, ...(mode ? { mode: mode satisfies JobDeleteMode } : {}), ...target };
}

/** `status=invalid, stale=broken`: the filter as the URL spells it. */
export function describeFilter(filter: Record<string, string>): string {
  return Object.entries(filter)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/**
 * One delete or refresh for many links, started only after a dry run has said what will happen to
 * each link and the person has typed the preview's phrase (`delete 37 links`, `… in production`).
 * The phrase is sent with the start, so a selection that changed since the preview is refused
 * instead of acted on. The start button locks while the request is out; a started job opens its page.
 */
export function BulkJobDialog({ target, actions, initialAction, onClose }: { target: JobTarget; actions: JobAction[]; initialAction: JobAction; onClose(): void }) {
  useDeferredMessages();
  const { t, locale } = useT();
  const navigate = useNavigate();
  const [choice, setChoice] = useState<Choice>(choiceOf(initialAction));
  const [typed, setTyped] = useState('');
  const confirmId = useId();
  const request = requestFor(choice, target);
  const preview = useQuery(jobQueries.preview(request));
  const start = useStartJob();
  const n = (value: number) => formatNumber(value, locale);

  const choices: Choice[] = [...(actions.includes('delete') ? (['delete-async', 'delete-sync'] as const) : []), ...(actions.includes('refresh') ? (['refresh'] as const) : [])];
  const phrase = preview.data?.confirmation;
  const confirmed = phrase !== undefined && typed.trim() === phrase;
  const canStart = confirmed && !preview.isFetching && (preview.data?.will_send ?? 0) > 0 && !start.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canStart || phrase === undefined) return;
    start.mutate(
      { request, confirmation: phrase },
      {
        onSuccess: (job) => {
          onClose();
          void navigate({ to: '/jobs/$jobId', params: { jobId: job.id } });
        },
      },
    );
  };

  return (
    <ConfirmModal
      open
      wide
      onOpenChange={(open) => {
        if (!open && !start.isPending) onClose();
      }}
      title={t('bulk.title')}
      description={
        'link_ids' in target ? (
          <p>{t('bulk.selectedIds', { count: target.link_ids.length })}</p>
        ) : (
          <p>
            {t('bulk.selectedFilter')} <code className="font-mono text-xs">{describeFilter(target.filter)}</code>
          </p>
        )
      }
    >
      <form onSubmit={submit} className="space-y-4">
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t('bulk.action')}</legend>
          {choices.map((option) => (
            <label key={option} className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-2 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
              <input
                type="radio"
                name="bulk-action"
                value={option}
                checked={choice === option}
                disabled={start.isPending}
                onChange={() => {
                  setChoice(option);
                  setTyped('');
                }}
                className="mt-1"
              />
              <span>
                <span className="block text-sm font-medium">{t(`bulk.choice.${option}`)}</span>
                <span className="block text-xs text-slate-600">{t(`bulk.choiceHint.${option}`)}</span>
              </span>
            </label>
          ))}
        </fieldset>

        <section aria-labelledby={`${confirmId}-preview`} aria-busy={preview.isFetching} className="space-y-2">
          <h3 id={`${confirmId}-preview`} className="text-sm font-semibold">
            {t('bulk.preview')}
          </h3>
          {preview.error ? (
            <ErrorPanel compact title={t('bulk.previewFailed')} error={preview.error} onRetry={() => void preview.refetch()} />
          ) : !preview.data ? (
            <p role="status" className="text-sm text-slate-600">
              {t('bulk.previewLoading')}
            </p>
          ) : (
            <>
              <p className="text-sm" aria-live="polite">
                {t('bulk.counts', { send: n(preview.data.will_send), skip: n(preview.data.will_skip) })}{' '}
                {preview.data.will_send > 0 ? t('bulk.estimate', { minutes: Math.max(1, Math.ceil(preview.data.estimated_minutes)) }) : null}
              </p>
              {preview.data.selection.requested > preview.data.max_links_per_job ? (
                <p role="note" className="text-sm text-amber-900">
                  {t('bulk.overMax', { max: n(preview.data.max_links_per_job), requested: n(preview.data.selection.requested) })}
                </p>
              ) : null}
              <PreviewItems items={preview.data.items} />
            </>
          )}
        </section>

        {preview.data && preview.data.will_send > 0 ? (
          <TypedConfirmation
            id={confirmId}
            label={t('bulk.confirmLabel', { phrase: preview.data.confirmation })}
            value={typed}
            onChange={setTyped}
            confirmed={confirmed}
            hint={t('bulk.confirmHint')}
            mismatch={t('bulk.confirmMismatch')}
          />
        ) : preview.data ? (
          <p className="text-sm font-medium">{t('bulk.nothingToSend')}</p>
        ) : null}

        {start.error ? (
          <ErrorPanel compact title={t('bulk.startFailed')} error={start.error}>
            <p className="mt-1">{t('bulk.startFailedHint')}</p>
          </ErrorPanel>
        ) : null}

        <div className="flex justify-end gap-2">
          <ConfirmCancel asChild>
            <Button disabled={start.isPending}>{t('bulk.cancel')}</Button>
          </ConfirmCancel>
          <Button type="submit" variant={choice === 'refresh' ? 'primary' : 'danger'} disabled={!canStart} aria-busy={start.isPending}>
            {start.isPending ? t('bulk.starting') : t(choice === 'refresh' ? 'bulk.startRefresh' : 'bulk.startDelete')}
          </Button>
        </div>
      </form>
    </ConfirmModal>
  );
}

const previewRowHeight = 32;

/** Every link of the preview with what will happen to it; virtualised, a job can hold a thousand. */
function PreviewItems({ items }: { items: JobPreviewItem[] }) {
  const { t } = useT();
  const { scrollRef, rows, paddingTop, paddingBottom } = useVirtualRows({ count: items.length, rowHeight: previewRowHeight, overscan: 10, initialRect: { width: 600, height: 256 } });
  return (
    <TableFrame ref={scrollRef} className="max-h-64" tabIndex={0} aria-label={t('bulk.itemsLabel')} role="group">
      <Table aria-rowcount={items.length + 1}>
        <caption className="sr-only">{t('bulk.itemsLabel')}</caption>
        <TableHead sticky>
          <tr aria-rowindex={1}>
            <Th>{t('bulk.columns.link')}</Th>
            <Th>{t('bulk.columns.institution')}</Th>
            <Th>{t('bulk.columns.decision')}</Th>
          </tr>
        </TableHead>
        <tbody>
          <SpacerRow height={paddingTop} colSpan={3} />
          {rows.map((row) => {
            const item = items[row.index];
            if (!item) return null;
            return (
              <Tr key={item.link_id} aria-rowindex={row.index + 2} style={{ height: previewRowHeight }}>
                <Td className="font-mono text-xs" title={item.link_id}>
                  {item.external_id ?? shortId(item.link_id)}
                </Td>
                <Td className="font-mono text-xs">{item.institution ?? '—'}</Td>
                <Td className="text-xs">
                  {item.decision === 'send' ? (
                    <span className="font-medium text-green-800">{t('bulk.decision.send')}</span>
                  ) : (
                    <span className="text-amber-900">
                      {t('bulk.decision.skip')}
                      {item.reason ? `: ${t(`bulk.reason.${item.reason}`)}` : null}
                    </span>
                  )}
                </Td>
              </Tr>
            );
          })}
          <SpacerRow height={paddingBottom} colSpan={3} />
        </tbody>
      </Table>
    </TableFrame>
  );
}
