import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import type { Link } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Tooltip } from '../../../components/ui/tooltip.tsx';
import { formatCountdown, formatDateTime, shortId } from '../../../lib/format.ts';
import { useToast } from '../../../components/ui/toaster.tsx';
import { useLoadDeferredMessages, useT } from '../../../lib/i18n.ts';
import { challengeOf, useMfaFlow } from '../../mfa/mfa-flow.ts';
import { can, sessionQueries } from '../../session/session.ts';
import { operationsQueries, useRefreshLink } from '../queries.ts';
import { useServerNow } from '../use-server-now.ts';

const DeleteLinkDialog = lazy(() => import('./delete-link-dialog.tsx').then((module) => ({ default: module.DeleteLinkDialog })));
const RefreshLinkDialog = lazy(() => import('./refresh-link-dialog.tsx').then((module) => ({ default: module.RefreshLinkDialog })));

/**
 * Refresh and Delete for one link, aware of what every dashboard shares: a refresh cooldown shows
 * as a live mm:ss countdown on a disabled button; a requested deletion shows as "Deleting…" with
 * its request_id until Belvo confirms.
 */
export function LinkActions({ link, size = 'sm' }: { link: Link; size?: 'sm' | 'md' }) {
  // A stable element around whatever the actions become, so a closing dialog can find them (see Modal).
  return (
    <span data-focus-home className="contents">
      <LinkActionsNow link={link} size={size} />
    </span>
  );
}

function LinkActionsNow({ link, size }: { link: Link; size: 'sm' | 'md' }) {
  const { t } = useT();
  const { data: state } = useQuery(operationsQueries.state());
  const { data: session } = useQuery(sessionQueries.current());
  const [dialog, setDialog] = useState<'refresh' | 'delete' | null>(null);
  const mfa = useMfaFlow();
  const toast = useToast();
  const restartRefresh = useRefreshLink();
  const loadDeferredMessages = useLoadDeferredMessages();

  // Belvo answered the refresh with 428: the link needs a token. Hand over to the MFA flow, whose
  // "start again" re-sends the same refresh.
  const continueWithToken = (error: unknown, resources: string[] | null) => {
    const challenge = challengeOf(error);
    if (!challenge) return;
    setDialog(null);
    const restart = async () => {
      try {
        await restartRefresh.mutateAsync({ linkId: link.id, resources });
        return { link: null };
      } catch (caught) {
        const next = challengeOf(caught);
        if (next) return next;
        throw caught;
      }
    };
    // The MFA strings are deferred (src/web/messages/deferred); the refresh dialog started loading them.
    void loadDeferredMessages()
      .catch(() => undefined)
      .then(() => mfa.start({ challenge, title: t('mfa.titleRefresh', { id: shortId(link.id) }), restart }))
      .then((outcome) => {
        // The resume mutation has already marked the link, the lists and the operations stale.
        if (outcome.status === 'completed') toast({ tone: 'success', message: t('mfa.refreshCompleted', { id: shortId(link.id) }) });
      });
  };

  const pendingDelete = state?.pending.find((operation) => operation.kind === 'delete' && operation.link_id === link.id);
  if (pendingDelete) {
    return (
      <Tooltip content={t('actions.deletingHint', { requestId: pendingDelete.request_id })}>
        <span tabIndex={0} className="inline-flex items-center gap-1.5 rounded bg-red-50 px-2 py-0.5 text-xs font-medium text-red-800" aria-live="polite">
          <span aria-hidden="true" className="h-2 w-2 animate-pulse rounded-full bg-red-600" />
          {t('actions.deleting')}
          <code className="font-mono text-[10px] text-red-700">{pendingDelete.request_id.slice(0, 8)}</code>
        </span>
      </Tooltip>
    );
  }

  const cooldown = state?.cooldowns.find((candidate) => candidate.link_id === link.id);
  // The server refuses what a role may not do; the controls a role cannot use are not offered.
  const mayRefresh = can(session, 'links:refresh');
  const mayDelete = can(session, 'links:delete');
  if (!mayRefresh && !mayDelete) {
    return size === 'md' && session ? <p className="text-sm text-slate-600">{t('session.readOnly', { role: t(`roles.${session.user.role}`) })}</p> : null;
  }

  return (
    <span className="inline-flex items-center gap-1.5">
      {!mayRefresh ? null : cooldown ? (
        <RefreshCountdown link={link} endsAt={cooldown.ends_at} size={size} onRefresh={() => setDialog('refresh')} />
      ) : (
        <RefreshButton link={link} size={size} onRefresh={() => setDialog('refresh')} />
      )}
      {mayDelete ? (
        <Button size={size} variant="dangerGhost" onClick={() => setDialog('delete')} aria-label={t('actions.deleteLinkLabel', { id: shortId(link.id) })}>
          {t('actions.delete')}
        </Button>
      ) : null}
      <Suspense fallback={null}>
        {dialog === 'refresh' ? <RefreshLinkDialog link={link} onClose={() => setDialog(null)} onTokenRequired={continueWithToken} /> : null}
        {dialog === 'delete' ? <DeleteLinkDialog link={link} onClose={() => setDialog(null)} /> : null}
      </Suspense>
    </span>
  );
}

function RefreshButton({ link, size, onRefresh }: { link: Link; size: 'sm' | 'md'; onRefresh(): void }) {
  const { t } = useT();
  return (
    <Button size={size} onClick={onRefresh} aria-label={t('actions.refreshLinkLabel', { id: shortId(link.id) })}>
      {/* In a phone's table row the arrow alone says it; the button's name is its aria-label either way. */}
      <span aria-hidden="true">⟳</span> <span className={size === 'sm' ? 'hidden sm:inline' : undefined}>{t('actions.refresh')}</span>
    </Button>
  );
}

/** Only links in a cooldown tick; the rest of the table stays still. */
function RefreshCountdown({ link, endsAt, size, onRefresh }: { link: Link; endsAt: number; size: 'sm' | 'md'; onRefresh(): void }) {
  const { t, locale } = useT();
  const { data: state } = useQuery(operationsQueries.state());
  const now = useServerNow();
  const remaining = endsAt - now;
  if (remaining <= 0) return <RefreshButton link={link} size={size} onRefresh={onRefresh} />;
  return (
    <Tooltip content={t('actions.refreshBlockedHint', { time: formatDateTime(endsAt - (state?.clockOffsetMs ?? 0), locale) })}>
      <span tabIndex={0}>
        <Button size={size} disabled aria-label={t('actions.refreshInLabel', { id: shortId(link.id), time: formatCountdown(remaining) })}>
          <span aria-hidden="true">⟳</span>
          <span className="font-mono tabular-nums" role="timer">
            {formatCountdown(remaining)}
          </span>
        </Button>
      </span>
    </Tooltip>
  );
}
