import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { ConfirmCancel, ConfirmModal } from '../../../components/ui/modal.tsx';
import { useToast } from '../../../components/ui/toaster.tsx';
import { useT } from '../../../lib/i18n.ts';
import { useUserChange, type StaffUser } from '../queries.ts';

/** Removing a person cannot be undone from here: name them, say what follows, Cancel first. */
export function RemoveUserDialog({ user, onClose }: { user: StaffUser; onClose(): void }) {
  const { t } = useT();
  const toast = useToast();
  const remove = useUserChange();
  const { username } = user;
  return (
    <ConfirmModal
      open
      onOpenChange={(open) => {
        if (!open && !remove.isPending) onClose();
      }}
      title={t('users.removeTitle', { username })}
      description={<p>{t('users.removeBody', { username })}</p>}
    >
      {remove.error ? <ErrorPanel compact title={t('users.removeFailed', { username })} error={remove.error} /> : null}
      <div className="mt-4 flex justify-end gap-2">
        <ConfirmCancel asChild>
          <Button disabled={remove.isPending}>{t('users.cancel')}</Button>
        </ConfirmCancel>
        <Button
          variant="danger"
          disabled={remove.isPending}
          aria-busy={remove.isPending}
          onClick={() =>
            remove.mutate(
              { kind: 'remove', id: user.id },
              {
                onSuccess: () => {
                  toast({ tone: 'success', message: t('users.removed', { username }) });
                  onClose();
                },
              },
            )
          }
        >
          {remove.isPending ? t('users.removing') : t('users.removeConfirm', { username })}
        </Button>
      </div>
    </ConfirmModal>
  );
}
