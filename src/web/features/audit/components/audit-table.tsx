import { Link as RouterLink } from '@tanstack/react-router';
import type { AuditAction } from '../../../../contract/bff/audit.ts';
import { cn } from '../../../components/ui/cn.ts';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useT, type MessageId } from '../../../lib/i18n.ts';
import type { AuditEntry } from '../queries.ts';

/** Every action the proxy records has a name: a new one in the contract is a compile error here until named. */
const actionNames: Record<AuditAction, MessageId> = {
  sign_in: 'audit.actions.sign_in',
  sign_out: 'audit.actions.sign_out',
  'link.delete': 'audit.actions.link.delete',
  'link.refresh': 'audit.actions.link.refresh',
  'link.mfa_resume': 'audit.actions.link.mfa_resume',
  'link.register': 'audit.actions.link.register',
  'link.access_mode': 'audit.actions.link.access_mode',
  'link.reconnect': 'audit.actions.link.reconnect',
  'user.add': 'audit.actions.user.add',
  'user.remove': 'audit.actions.user.remove',
  'user.set_role': 'audit.actions.user.set_role',
  'user.reset_password': 'audit.actions.user.reset_password',
  'job.create': 'audit.actions.job.create',
  'job.pause': 'audit.actions.job.pause',
  'job.resume': 'audit.actions.job.resume',
  'job.cancel': 'audit.actions.job.cancel',
};

/** The action's name in the reader's language; a code this SPA does not know yet stays as it is. */
export function useActionName() {
  const { t } = useT();
  return (action: string) => {
    const id = (actionNames as Record<string, MessageId | undefined>)[action];
    return id ? t(id) : action;
  };
}

/**
 * The log records each action twice, when attempted and when it ended, linked by correlation_id.
 * A person reads one row per action: the attempt's time and who, the end's outcome, Belvo request
 * and link, and the details of both. An attempt whose end is not (yet) loaded stays "in progress".
 */
export function mergeAttempts(entries: AuditEntry[]): AuditEntry[] {
  const byCorrelation = new Map<string, AuditEntry>();
  const merged: AuditEntry[] = [];
  for (const entry of entries) {
    const seen = byCorrelation.get(entry.correlation_id);
    if (!seen) {
      const copy = { ...entry };
      byCorrelation.set(entry.correlation_id, copy);
      merged.push(copy);
      continue;
    }
    const [attempt, result] = entry.phase === 'attempt' ? [entry, seen] : [seen, entry];
    Object.assign(seen, {
      at: attempt.at,
      actor: attempt.actor,
      role: attempt.role ?? result.role,
      phase: result.phase,
      outcome: result.outcome,
      link_id: result.link_id ?? attempt.link_id,
      external_id: result.external_id ?? attempt.external_id,
      belvo_request_id: result.belvo_request_id ?? attempt.belvo_request_id,
      detail: attempt.detail || result.detail ? { ...attempt.detail, ...result.detail } : null,
    });
  }
  return merged;
}

/** Every outcome the log records, with its name for people; the audit page's filter offers these. */
const outcomeNames = {
  attempted: 'audit.outcomes.attempted',
  success: 'audit.outcomes.success',
  accepted: 'audit.outcomes.accepted',
  confirmed: 'audit.outcomes.confirmed',
  refused: 'audit.outcomes.refused',
  blocked: 'audit.outcomes.blocked',
  denied: 'audit.outcomes.denied',
  failure: 'audit.outcomes.failure',
  throttled: 'audit.outcomes.throttled',
  token_required: 'audit.outcomes.token_required',
  unknown: 'audit.outcomes.unknown',
  outcome_unknown: 'audit.outcomes.outcome_unknown',
  not_done: 'audit.outcomes.not_done',
  error: 'audit.outcomes.error',
} as const satisfies Record<string, MessageId>;
export const auditOutcomes = Object.keys(outcomeNames);

/** The outcome's name in the reader's language; an outcome this SPA does not know yet stays as it is. */
export function useOutcomeName() {
  const { t } = useT();
  return (outcome: string) => (outcome in outcomeNames ? t(outcomeNames[outcome as keyof typeof outcomeNames]) : outcome);
}

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
  outcome_unknown: 'bg-amber-100 text-amber-950',
  not_done: 'bg-slate-100 text-slate-700',
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
  const actionName = useActionName();
  const outcomeName = useOutcomeName();
  return (
    <TableFrame>
      <Table>
        <TableHead>
          <tr>
            <Th>{t('audit.columns.time')}</Th>
            <Th>{t('audit.columns.who')}</Th>
            <Th>{t('audit.columns.action')}</Th>
            <Th>{t('audit.columns.outcome')}</Th>
            {showLink ? <Th>{t('audit.columns.link')}</Th> : null}
            <Th>{t('audit.columns.requestId')}</Th>
            <Th>{t('audit.columns.detail')}</Th>
          </tr>
        </TableHead>
        <tbody>
          {mergeAttempts(entries).map((entry) => (
            <Tr key={entry.id} className="align-top">
              <Td className="whitespace-nowrap">
                <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, locale)}</time>
              </Td>
              <Td>
                {entry.actor}
                {entry.role ? <span className="ml-1 text-xs text-slate-600">({entry.role})</span> : null}
              </Td>
              <Td className="whitespace-nowrap">{actionName(entry.action)}</Td>
              <Td>
                <span className={cn('rounded px-1.5 py-0.5 text-xs font-medium', outcomeColour[entry.outcome] ?? 'bg-slate-100')}>
                  {entry.phase === 'attempt' ? t('audit.pending') : outcomeName(entry.outcome)}
                </span>
              </Td>
              {showLink ? (
                <Td className="font-mono text-xs">
                  {entry.link_id ? (
                    <RouterLink to="/links/$linkId" params={{ linkId: entry.link_id }} className="text-brand-700 hover:underline">
                      {entry.link_id.slice(0, 8)}
                    </RouterLink>
                  ) : null}
                  {entry.external_id ? <span className="block text-slate-600">{entry.external_id}</span> : null}
                </Td>
              ) : null}
              <Td className="font-mono text-xs">{entry.belvo_request_id ?? ''}</Td>
              <Td className="text-xs text-slate-600">{describe(entry.detail)}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
    </TableFrame>
  );
}
