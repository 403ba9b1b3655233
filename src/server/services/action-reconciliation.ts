import { UpstreamError, type BelvoClient } from '../belvo/client.ts';
import type { AuditEntry } from '../../contract/bff/audit.ts';
import type { AuditLog } from '../store/audit.ts';
import type { UserStore } from '../store/users.ts';

/** What was found about an action a crash left open, and the outcome recorded for it. */
export interface Reconciled {
  correlation_id: string;
  action: string;
  outcome: string;
}

/** The outcome recorded when nothing can tell how an action ended. */
export const unknownOutcome = 'outcome_unknown';

type Finding = { outcome: string; found: string; link_id?: string | null; external_id?: string | null };

interface ReconcileDeps {
  audit: AuditLog;
  belvo: BelvoClient;
  users: UserStore;
}

/** The link as Belvo has it now: the parsed link, `gone` (404), or null when Belvo did not say. */
async function lookUpLink(belvo: BelvoClient, linkId: string): Promise<Record<string, unknown> | 'gone' | null> {
  try {
    const response = await belvo.send({ method: 'GET', path: `/api/links/${linkId}/` });
    if (response.status === 404) return 'gone';
    if (response.status !== 200) return null;
    return JSON.parse(response.bodyText) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UpstreamError || error instanceof SyntaxError) return null;
    throw error;
  }
}

async function findOutcome(deps: ReconcileDeps, attempt: AuditEntry): Promise<Finding> {
  const linkId = attempt.link_id;
  const username = typeof attempt.detail?.username === 'string' ? attempt.detail.username : null;
  switch (attempt.action) {
    case 'link.delete': {
      if (!linkId) break;
      const link = await lookUpLink(deps.belvo, linkId);
      if (link === 'gone') return { outcome: 'success', found: 'Belvo no longer has the link' };
      if (link) {
        // An async deletion may still be under way; its webhook, if it comes, is recorded on its own.
        return { outcome: 'not_done', found: 'Belvo still has the link', external_id: typeof link.external_id === 'string' ? link.external_id : null };
      }
      return { outcome: unknownOutcome, found: 'Belvo did not answer' };
    }
    case 'link.refresh': {
      if (!linkId) break;
      const link = await lookUpLink(deps.belvo, linkId);
      if (link === 'gone') return { outcome: unknownOutcome, found: 'Belvo no longer has the link' };
      const accessedAt = link && typeof link.last_accessed_at === 'string' ? Date.parse(link.last_accessed_at) : Number.NaN;
      if (accessedAt >= attempt.at) return { outcome: 'success', found: `Belvo accessed the link at ${new Date(accessedAt).toISOString()}, after the attempt` };
      return { outcome: unknownOutcome, found: link ? 'Belvo has not accessed the link since the attempt (a refresh may still be running)' : 'Belvo did not answer' };
    }
    case 'user.add':
      if (username) return await deps.users.byUsername(username) ? { outcome: 'success', found: 'the user exists' } : { outcome: 'failure', found: 'the user does not exist' };
      break;
    case 'user.remove':
      if (username) return await deps.users.byUsername(username) ? { outcome: 'failure', found: 'the user still exists' } : { outcome: 'success', found: 'the user no longer exists' };
      break;
    case 'user.set_role': {
      const role = attempt.detail?.role;
      const user = username ? await deps.users.byUsername(username) : null;
      if (user && typeof role === 'string') return user.role === role ? { outcome: 'success', found: `the user's role is ${role}` } : { outcome: 'failure', found: `the user's role is ${user.role}` };
      break;
    }
    default:
      break;
  }
  // A registration, an MFA resume, a password reset: nothing says afterwards whether it happened.
  return { outcome: unknownOutcome, found: 'nothing tells how it ended' };
}

/**
 * After a crash: every action the audit log shows as attempted but never ended (the process was
 * killed in between) is looked up — Belvo is asked about the link, the user table about the user —
 * and the outcome found is recorded, or `outcome_unknown`. Only attempts older than `before` are
 * touched, so one still running in another process (the CLI) is left to finish. One at a time:
 * after a crash during a burst, Belvo is not sent a burst of its own.
 */
export function createActionReconciliation(deps: ReconcileDeps) {
  return {
    async reconcile(before: number): Promise<Reconciled[]> {
      const done: Reconciled[] = [];
      for (const attempt of await deps.audit.openAttempts(before)) {
        const finding = await findOutcome(deps, attempt);
        await deps.audit.close(attempt, finding.outcome, {
          link_id: finding.link_id,
          external_id: finding.external_id,
          detail: { reconciled: true, found: finding.found, attempted_at: new Date(attempt.at).toISOString() },
        });
        done.push({ correlation_id: attempt.correlation_id, action: attempt.action, outcome: finding.outcome });
      }
      return done;
    },
  };
}
export type ActionReconciliation = ReturnType<typeof createActionReconciliation>;
