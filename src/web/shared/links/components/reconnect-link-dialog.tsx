import { lazy, Suspense, useEffect } from 'react';
import type { Link } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Modal, ModalClose } from '../../../components/ui/modal.tsx';
import { formatCountdown, shortId } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { useReconnectLink } from '../queries.ts';
import { useServerNow } from '../use-server-now.ts';

const QRCodeSVG = lazy(() => import('qrcode.react').then((module) => ({ default: module.QRCodeSVG })));

/**
 * Asks for a reconnect link as it opens, then shows the hosted-widget URL to send to the end user:
 * a copy button, a QR code to scan, and a countdown to its 10-minute expiry. The URL lives only in
 * this dialog's memory; closing it forgets it.
 */
export function ReconnectLinkDialog({ link, onClose }: { link: Link; onClose(): void }) {
  const { t } = useT();
  const mutation = useReconnectLink();
  const { mutate } = mutation;
  useEffect(() => {
    mutate({ linkId: link.id });
  }, [mutate, link.id]);

  return (
    <Modal
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={t('reconnect.title', { id: shortId(link.id) })}
      description={t('reconnect.intro')}
    >
      <div className="space-y-4">
        {mutation.isPending ? <p role="status">{t('reconnect.creating')}</p> : null}
        {mutation.error ? <ErrorPanel compact title={t('reconnect.errorTitle')} error={mutation.error} /> : null}
        {mutation.data ? <ReconnectUrl url={mutation.data.url} expiresAt={mutation.data.expires_at} onAgain={() => mutate({ linkId: link.id })} /> : null}
        <div className="flex justify-end">
          <ModalClose asChild>
            <Button>{t('reconnect.close')}</Button>
          </ModalClose>
        </div>
      </div>
    </Modal>
  );
}

function ReconnectUrl({ url, expiresAt, onAgain }: { url: string; expiresAt: number; onAgain(): void }) {
  const { t } = useT();
  const now = useServerNow();
  const remaining = expiresAt - now;
  if (remaining <= 0) {
    return (
      <div role="alert" className="space-y-2">
        <p>{t('reconnect.expired')}</p>
        <Button variant="primary" onClick={onAgain}>
          {t('reconnect.again')}
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <label className="block text-sm font-medium">
        {t('reconnect.url')}
        <span className="mt-1 flex items-center gap-1">
          <input readOnly value={url} className="w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
          <CopyButton value={url} label={t('reconnect.copy')} />
        </span>
      </label>
      <div className="flex items-center gap-4">
        <Suspense fallback={<div className="h-40 w-40" />}>
          <QRCodeSVG value={url} size={160} role="img" aria-label={t('reconnect.qr')} />
        </Suspense>
        <p className="text-sm">
          {t('reconnect.expiresIn')}{' '}
          <span role="timer" className="font-mono tabular-nums">
            {formatCountdown(remaining)}
          </span>
        </p>
      </div>
    </div>
  );
}
