import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { reconnectableStatuses } from '../../../../contract/bff/reconnect.ts';
import type { Link } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { shortId } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { can, sessionQueries } from '../../session/session.ts';

const AccessModeDialog = lazy(() => import('./access-mode-dialog.tsx').then((module) => ({ default: module.AccessModeDialog })));
const ReconnectLinkDialog = lazy(() => import('./reconnect-link-dialog.tsx').then((module) => ({ default: module.ReconnectLinkDialog })));

/** Support's fixes for one link: change its access mode, and (for a broken link) make a reconnect link. */
export function LinkSupportActions({ link }: { link: Link }) {
  const { t } = useT();
  const { data: session } = useQuery(sessionQueries.current());
  const [dialog, setDialog] = useState<'access-mode' | 'reconnect' | null>(null);
  const mayChangeMode = can(session, 'links:access_mode') && link.access_mode !== null;
  const mayReconnect = can(session, 'links:reconnect') && (reconnectableStatuses as readonly string[]).includes(link.status);
  if (!mayChangeMode && !mayReconnect) return null;
  const id = shortId(link.id);
  return (
    <span className="inline-flex items-center gap-1.5">
      {mayReconnect ? (
        <Button size="md" variant="primary" onClick={() => setDialog('reconnect')} aria-label={t('reconnect.buttonLabel', { id })}>
          {t('reconnect.button')}
        </Button>
      ) : null}
      {mayChangeMode ? (
        <Button size="md" onClick={() => setDialog('access-mode')} aria-label={t('accessModeChange.buttonLabel', { id })}>
          {t('accessModeChange.button')}
        </Button>
      ) : null}
      <Suspense fallback={null}>
        {dialog === 'access-mode' ? <AccessModeDialog link={link} onClose={() => setDialog(null)} /> : null}
        {dialog === 'reconnect' ? <ReconnectLinkDialog link={link} onClose={() => setDialog(null)} /> : null}
      </Suspense>
    </span>
  );
}
