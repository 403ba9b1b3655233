import type { JobState } from '../../../../contract/bff/jobs.ts';
import { cn } from '../../../components/ui/cn.ts';
import { useT } from '../../../lib/i18n.ts';

const tone: Record<JobState, string> = {
  queued: 'bg-slate-100 text-slate-800',
  running: 'bg-brand-100 text-brand-900',
  paused: 'bg-amber-100 text-amber-950',
  done: 'bg-green-100 text-green-900',
  cancelled: 'bg-slate-200 text-slate-800',
  failed: 'bg-red-100 text-red-900',
};

export function JobStateBadge({ state }: { state: JobState }) {
  const { t } = useT();
  return <span className={cn('inline-flex rounded px-1.5 py-0.5 text-xs font-medium', tone[state])}>{t(`jobs.state.${state}`)}</span>;
}

/** Items with an outcome: everything but the queued and the one being sent. */
export function finishedItems(job: { done: number; failed: number; skipped: number; outcome_unknown: number; not_sent: number }): number {
  return job.done + job.failed + job.skipped + job.outcome_unknown + job.not_sent;
}
