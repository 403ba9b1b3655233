import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { useState } from 'react';
import type { Job, JobItem } from '../../../../contract/bff/jobs.ts';
import { Button } from '../../../components/ui/button.tsx';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { ConfirmCancel, ConfirmModal } from '../../../components/ui/modal.tsx';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { SpacerRow, useVirtualRows } from '../../../components/ui/virtual-rows.tsx';
import { formatDateTime, formatNumber, shortId } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { isOpenJob, jobCsvHref, jobQueries, useControlJob } from '../../../shared/jobs/queries.ts';
import { can, sessionQueries } from '../../../shared/session/session.ts';
import { finishedItems, JobStateBadge } from './job-state-badge.tsx';

const countKeys = ['sent', 'done', 'failed', 'skipped', 'outcome_unknown', 'remaining', 'awaiting_confirmation', 'not_sent'] as const;

/**
 * One job as it runs: progress, counts, rate and time left, why it is paused, the controls the
 * person's role allows, each link's result and the CSV of them. Re-read on every `job-changed`
 * event (app shell), and every few seconds while open in case the event stream drops.
 */
export function JobPage({ jobId }: { jobId: string }) {
  useDeferredMessages();
  const { t } = useT();
  const job = useQuery(jobQueries.detail(jobId));
  return (
    <div className="space-y-4">
      <RouterLink to="/jobs" className="text-sm text-brand-700 underline underline-offset-2">
        ← {t('job.back')}
      </RouterLink>
      {job.error && !job.data ? (
        <ErrorPanel title={t('job.failed')} error={job.error} onRetry={() => void job.refetch()} />
      ) : !job.data ? (
        <p role="status" className="text-slate-600">
          {t('job.loading')}
        </p>
      ) : (
        <JobReport job={job.data} />
      )}
    </div>
  );
}

function JobReport({ job }: { job: Job }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  const finished = finishedItems(job);
  const percent = job.total === 0 ? 100 : Math.round((finished / job.total) * 100);
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t('job.title', { action: t(`jobs.action.${job.action}`), id: shortId(job.id) })}</h1>
        <JobStateBadge state={job.state} />
      </div>
      <p className="text-sm text-slate-700">
        {t('job.summary', { total: job.total, who: job.created_by, when: formatDateTime(job.created_at, locale) })}
        {job.mode ? ` (${t(`jobs.mode.${job.mode}`)})` : null}
        {job.selection.filter ? (
          <>
            {' '}
            {t('job.selectionFilter', {
              filter: Object.entries(job.selection.filter)
                .map(([key, value]) => `${key}=${value}`)
                .join(', '),
            })}
          </>
        ) : null}
      </p>
      {job.state === 'paused' && job.pause_reason ? (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950">
          {t('job.pausedBecause', {
            reason: job.pause_reason === 'person' || job.pause_reason === 'upstream_errors' ? t(`job.pauseReason.${job.pause_reason}`) : (job.error ?? job.pause_reason),
          })}
        </p>
      ) : null}
      {job.state === 'failed' ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-2 text-sm text-red-900">
          {t('job.failedBecause', { reason: job.pause_reason === 'belvo_refused' ? t('job.failedReason.belvo_refused') : (job.error ?? job.pause_reason ?? '—') })}
        </p>
      ) : null}

      <section aria-label={t('job.progressLabel')} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <div
          role="progressbar"
          aria-label={t('job.progressLabel')}
          aria-valuemin={0}
          aria-valuemax={job.total}
          aria-valuenow={finished}
          aria-valuetext={t('job.progressText', { finished: n(finished), total: n(job.total) })}
          className="h-3 overflow-hidden rounded-full bg-slate-200"
        >
          <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
        </div>
        <p className="text-sm tabular-nums">{t('job.progressText', { finished: n(finished), total: n(job.total) })}</p>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
          {countKeys.map((key) => (
            <div key={key} className="flex justify-between gap-2 border-b border-slate-100 py-1">
              <dt className="text-slate-600">{t(`job.counts.${key}`)}</dt>
              <dd className="font-medium tabular-nums">{n(job[key])}</dd>
            </div>
          ))}
          <div className="flex justify-between gap-2 border-b border-slate-100 py-1">
            <dt className="text-slate-600">{t('job.rate')}</dt>
            <dd className="tabular-nums">{job.rate_per_minute === null ? t('job.unknown') : t('job.rateValue', { rate: n(Math.round(job.rate_per_minute)) })}</dd>
          </div>
          <div className="flex justify-between gap-2 border-b border-slate-100 py-1">
            <dt className="text-slate-600">{t('job.eta')}</dt>
            <dd className="tabular-nums">
              {job.eta_seconds === null || !isOpenJob(job.state) ? t('job.unknown') : t('job.etaValue', { minutes: Math.max(1, Math.ceil(job.eta_seconds / 60)) })}
            </dd>
          </div>
        </dl>
        <div className="flex flex-wrap items-center gap-2">
          <JobControls job={job} />
          <span className="flex-1" />
          <a href={jobCsvHref(job.id)} download className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
            {t('job.csv')}
          </a>
        </div>
      </section>

      <h2 className="text-lg font-semibold">{t('job.results')}</h2>
      <JobItems items={job.items ?? []} />
    </>
  );
}

function JobControls({ job }: { job: Job }) {
  const { t } = useT();
  const { data: session } = useQuery(sessionQueries.current());
  const control = useControlJob(job.id);
  const [cancelling, setCancelling] = useState(false);
  if (!can(session, job.action === 'delete' ? 'links:delete' : 'links:refresh')) {
    return session && isOpenJob(job.state) ? <p className="text-sm text-slate-600">{t('job.readOnly', { role: t(`roles.${session.user.role}`) })}</p> : null;
  }
  if (!isOpenJob(job.state)) return null;
  return (
    <>
      {job.state === 'paused' ? (
        <Button onClick={() => control.mutate('resume')} disabled={control.isPending}>
          {t('job.resume')}
        </Button>
      ) : (
        <Button onClick={() => control.mutate('pause')} disabled={control.isPending}>
          {t('job.pause')}
        </Button>
      )}
      <Button variant="dangerGhost" onClick={() => setCancelling(true)} disabled={control.isPending}>
        {t('job.cancel')}
      </Button>
      {control.error ? <ErrorPanel compact title={t('job.controlFailed')} error={control.error} /> : null}
      {cancelling ? (
        <ConfirmModal
          open
          onOpenChange={(open) => {
            if (!open && !control.isPending) setCancelling(false);
          }}
          title={t('job.cancelTitle')}
          description={<p>{t('job.cancelBody', { sent: job.sent })}</p>}
        >
          <div className="flex justify-end gap-2">
            <ConfirmCancel asChild>
              <Button disabled={control.isPending}>{t('job.cancelKeep')}</Button>
            </ConfirmCancel>
            <Button
              variant="danger"
              disabled={control.isPending}
              aria-busy={control.isPending}
              onClick={() => control.mutate('cancel', { onSettled: () => setCancelling(false) })}
            >
              {t('job.cancelConfirm')}
            </Button>
          </div>
        </ConfirmModal>
      ) : null}
    </>
  );
}

const itemRowHeight = 36;

/** Each link's result; virtualised, since a job holds up to a thousand links. */
function JobItems({ items }: { items: JobItem[] }) {
  const { t } = useT();
  const { scrollRef, rows, paddingTop, paddingBottom } = useVirtualRows({ count: items.length, rowHeight: itemRowHeight, overscan: 12, initialRect: { width: 1200, height: 600 } });
  return (
    <TableFrame ref={scrollRef} className="max-h-[60vh]" tabIndex={-1}>
      <Table aria-rowcount={items.length + 1}>
        <caption className="sr-only">{t('job.results')}</caption>
        <TableHead sticky>
          <tr aria-rowindex={1}>
            <Th>{t('job.columns.link')}</Th>
            <Th>{t('job.columns.institution')}</Th>
            <Th>{t('job.columns.result')}</Th>
            <Th>{t('job.columns.http')}</Th>
            <Th>{t('job.columns.requestId')}</Th>
          </tr>
        </TableHead>
        <tbody>
          <SpacerRow height={paddingTop} colSpan={5} />
          {rows.map((row) => {
            const item = items[row.index];
            if (!item) return null;
            return (
              <Tr key={item.link_id} aria-rowindex={row.index + 2} style={{ height: itemRowHeight }}>
                <Td className="font-mono text-xs">
                  <RouterLink to="/links/$linkId" params={{ linkId: item.link_id }} title={item.link_id} className="text-brand-700 underline-offset-2 hover:underline">
                    {item.external_id ?? shortId(item.link_id)}
                  </RouterLink>
                </Td>
                <Td className="font-mono text-xs">{item.institution ?? '—'}</Td>
                <Td className="text-sm">
                  {item.awaiting_confirmation ? t('job.awaiting') : t(`job.item.${item.state}`)}
                  {item.state !== 'done' && item.message ? <span className="block text-xs text-slate-600">{item.message}</span> : null}
                </Td>
                <Td className="tabular-nums">{item.http_status ?? '—'}</Td>
                <Td className="font-mono text-xs">
                  {item.request_id ? (
                    <span className="inline-flex items-center gap-0.5">
                      {item.request_id}
                      <CopyButton value={item.request_id} label={t('job.requestId')} />
                    </span>
                  ) : (
                    '—'
                  )}
                </Td>
              </Tr>
            );
          })}
          <SpacerRow height={paddingBottom} colSpan={5} />
        </tbody>
      </Table>
    </TableFrame>
  );
}
