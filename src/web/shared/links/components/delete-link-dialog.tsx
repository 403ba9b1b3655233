import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { Link } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { ConfirmCancel, ConfirmModal } from '../../../components/ui/modal.tsx';
import { useToast } from '../../../components/ui/toaster.tsx';
import { TypedConfirmation } from '../../../components/ui/typed-confirmation.tsx';
import { formatCountdown, shortId } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { metaQueries } from '../../meta/meta.ts';
import { operationsQueries, useDeleteLink, type DeleteMode } from '../queries.ts';
import { useServerNow } from '../use-server-now.ts';

/**
 * Deleting is irreversible, so the dialog names the link, says what goes with it, and — against
 * Belvo production — asks the user to type the external_id (or the id's first 8 characters).
 * Asynchronous by default, as Belvo recommends; synchronous shows the shared 5-a-minute budget and,
 * when it is spent, a live countdown to the next slot. The button locks while the request is out.
 */
export function DeleteLinkDialog({ link, onClose }: { link: Link; onClose(): void }) {
  useDeferredMessages();
  const { t } = useT();
  const toast = useToast();
  const { data: meta } = useQuery(metaQueries.meta());
  const { data: state } = useQuery(operationsQueries.state());
  const now = useServerNow();
  const mutation = useDeleteLink();
  const [mode, setMode] = useState<DeleteMode>('async');
  const [typed, setTyped] = useState('');
  const confirmId = useId();

  const production = meta?.belvo_mode === 'production';
  const expected = link.external_id ?? link.id.slice(0, 8);
  const confirmed = !production || typed.trim() === link.external_id || typed.trim() === link.id.slice(0, 8);
  const budget = state?.sync_delete_budget;
  const nextSlotIn = budget?.next_slot_at ? budget.next_slot_at - now : 0;
  const budgetSpent = mode === 'sync' && budget !== undefined && budget.remaining <= 0 && nextSlotIn > 0;
  const canSubmit = confirmed && !budgetSpent && !mutation.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    mutation.mutate(
      { linkId: link.id, mode },
      {
        onSuccess: (result) => {
          toast({
            tone: result.mode === 'async' ? 'info' : 'success',
            message:
              result.mode === 'async'
                ? t('delete.requested', { id: shortId(link.id), requestId: result.requestId ?? '—' })
                : t('delete.done', { id: shortId(link.id) }),
          });
          onClose();
        },
      },
    );
  };

  return (
    <ConfirmModal
      open
      onOpenChange={(open) => {
        if (!open && !mutation.isPending) onClose();
      }}
      title={t('delete.title', { id: shortId(link.id) })}
      description={
        <>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 rounded-md bg-slate-50 p-3">
            <dt className="text-slate-500">{t('detail.field.id')}</dt>
            <dd className="break-all font-mono text-xs">{link.id}</dd>
            <dt className="text-slate-500">{t('detail.field.institution')}</dt>
            <dd className="font-mono text-xs">{link.institution}</dd>
            <dt className="text-slate-500">{t('detail.field.external_id')}</dt>
            <dd className="font-mono text-xs">{link.external_id ?? t('links.orphan')}</dd>
          </dl>
          <p>{t('delete.what')}</p>
          <p className="font-semibold text-red-800">{t('delete.irreversible')}</p>
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4">
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t('delete.mode')}</legend>
          {(['async', 'sync'] as const).map((option) => (
            <label key={option} className="flex cursor-pointer gap-2 rounded-md border border-slate-200 p-2 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50">
              <input type="radio" name="delete-mode" value={option} checked={mode === option} onChange={() => setMode(option)} className="mt-1" />
              <span>
                <span className="block text-sm font-medium">{t(option === 'async' ? 'delete.async' : 'delete.sync')}</span>
                <span className="block text-xs text-slate-600">
                  {option === 'async' ? t('delete.asyncHint') : t('delete.syncHint', { limit: budget?.limit ?? 5 })}
                </span>
              </span>
            </label>
          ))}
        </fieldset>

        {mode === 'sync' && budget ? (
          <p className={budgetSpent ? 'text-sm font-medium text-red-800' : 'text-sm text-slate-700'} aria-live="polite">
            {budgetSpent ? (
              <>
                {t('delete.budgetEmpty')}{' '}
                <span role="timer" className="font-mono tabular-nums">
                  {formatCountdown(nextSlotIn)}
                </span>
              </>
            ) : (
              t('delete.budget', { remaining: budget.remaining, limit: budget.limit })
            )}
          </p>
        ) : null}

        {production ? (
          <TypedConfirmation
            id={confirmId}
            label={t('delete.confirmLabel', { expected })}
            value={typed}
            onChange={setTyped}
            confirmed={confirmed}
            hint={t('delete.confirmHint')}
            mismatch={t('delete.confirmMismatch')}
          />
        ) : null}

        {mutation.error ? <ErrorPanel compact title={t('delete.errorTitle')} error={mutation.error} /> : null}

        <div className="flex justify-end gap-2">
          <ConfirmCancel asChild>
            <Button disabled={mutation.isPending}>{t('delete.cancel')}</Button>
          </ConfirmCancel>
          <Button type="submit" variant="danger" disabled={!canSubmit} aria-busy={mutation.isPending}>
            {mutation.isPending ? t('delete.submitting') : t('delete.submit')}
          </Button>
        </div>
      </form>
    </ConfirmModal>
  );
}
