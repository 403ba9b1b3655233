import type { AccessMode, Link } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Modal, ModalClose } from '../../../components/ui/modal.tsx';
import { useToast } from '../../../components/ui/toaster.tsx';
import { shortId } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { useChangeAccessMode } from '../queries.ts';

/** Confirms a change of access mode, naming the link and the new mode and what it means at Belvo. */
export function AccessModeDialog({ link, onClose }: { link: Link; onClose(): void }) {
  const { t } = useT();
  const toast = useToast();
  const mutation = useChangeAccessMode();
  const next: AccessMode = link.access_mode === 'recurrent' ? 'single' : 'recurrent';
  const mode = t(`accessMode.${next}`).toLowerCase();
  const id = shortId(link.id);

  const confirm = () =>
    mutation.mutate(
      { linkId: link.id, accessMode: next },
      {
        onSuccess: () => {
          toast({ tone: 'success', message: t('accessModeChange.done', { id, mode }) });
          onClose();
        },
      },
    );

  return (
    <Modal
      open
      onOpenChange={(open) => {
        if (!open && !mutation.isPending) onClose();
      }}
      title={t('accessModeChange.title', { id, mode })}
      description={t(`accessModeChange.${next}`)}
    >
      <div className="space-y-4">
        {mutation.error ? <ErrorPanel compact title={t('accessModeChange.errorTitle')} error={mutation.error} /> : null}
        <div className="flex justify-end gap-2">
          <ModalClose asChild>
            <Button disabled={mutation.isPending}>{t('accessModeChange.cancel')}</Button>
          </ModalClose>
          <Button variant="primary" onClick={confirm} disabled={mutation.isPending} aria-busy={mutation.isPending}>
            {mutation.isPending ? t('accessModeChange.submitting') : t('accessModeChange.confirm', { mode })}
          </Button>
        </div>
      </div>
    </Modal>
  );
}
