import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import type { Job } from '../../../../contract/bff/jobs.ts';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { formatDateTime, formatNumber, shortId } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { jobQueries } from '../../../shared/jobs/queries.ts';
import { finishedItems, JobStateBadge } from './job-state-badge.tsx';

/** Every bulk job, newest first (the server's order), each leading to its page. */
export function JobsPage() {
  useDeferredMessages();
  const { t } = useT();
  const jobs = useQuery(jobQueries.list());
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">{t('jobs.title')}</h1>
      <p className="text-sm text-slate-700">{t('jobs.intro')}</p>
      {jobs.error && !jobs.data ? (
        <ErrorPanel title={t('jobs.failed')} error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : !jobs.data ? (
        <p role="status" className="text-slate-600">
          {t('jobs.loading')}
        </p>
      ) : jobs.data.jobs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">{t('jobs.empty')}</p>
      ) : (
        <JobsTable jobs={jobs.data.jobs} />
      )}
    </div>
  );
}

function JobsTable({ jobs }: { jobs: Job[] }) {
  const { t, locale } = useT();
  const n = (value: number) => formatNumber(value, locale);
  return (
    <TableFrame>
      <Table>
        <caption className="sr-only">{t('jobs.caption')}</caption>
        <TableHead>
          <tr>
            <Th>{t('jobs.columns.job')}</Th>
            <Th>{t('jobs.columns.action')}</Th>
            <Th>{t('jobs.columns.state')}</Th>
            <Th>{t('jobs.columns.progress')}</Th>
            <Th>{t('jobs.columns.by')}</Th>
            <Th>{t('jobs.columns.created')}</Th>
          </tr>
        </TableHead>
        <tbody>
          {jobs.map((job) => (
            <Tr key={job.id}>
              <Td className="font-mono text-xs">
                <RouterLink to="/jobs/$jobId" params={{ jobId: job.id }} aria-label={t('jobs.open', { id: job.id })} className="text-brand-700 underline underline-offset-2">
                  {shortId(job.id)}
                </RouterLink>
              </Td>
              <Td>
                {t(`jobs.action.${job.action}`)}
                {job.mode ? <span className="text-slate-600"> ({t(`jobs.mode.${job.mode}`)})</span> : null}
              </Td>
              <Td>
                <JobStateBadge state={job.state} />
              </Td>
              <Td className="tabular-nums">{t('jobs.progress', { finished: n(finishedItems(job)), total: n(job.total) })}</Td>
              <Td>{job.created_by}</Td>
              <Td className="whitespace-nowrap text-slate-700">
                <time dateTime={new Date(job.created_at).toISOString()}>{formatDateTime(job.created_at, locale)}</time>
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableFrame>
  );
}
