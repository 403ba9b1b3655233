import { useId, useState, type FormEvent } from 'react';
import { institutionTypeOf, resourcesForInstitutionType } from '../../../../contract/institutions.ts';
import type { Link } from '../../../../contract/links.ts';
import { Button } from '../../../components/ui/button.tsx';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Modal, ModalClose } from '../../../components/ui/modal.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { shortId } from '../../../lib/format.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { useRefreshLink } from '../queries.ts';

/** Belvo's 400 names what the institution supports: "…only supports the following resources: A, B". */
function supportedFrom(error: unknown): string[] | null {
  if (!isApiError(error) || error.status !== 400) return null;
  const item = error.errors.find((candidate) => /only supports the following resources:/.test(candidate.message));
  const list = item?.message.split('resources:')[1];
  return list ? list.split(',').map((resource) => resource.trim()).filter(Boolean) : null;
}

/**
 * Choose what Belvo should fetch again (the resources of this institution's kind, all by default),
 * then "Refresh requested" with the request_id. A 400 about resources shows the supported ones and
 * offers to retry with them; a 409 shows Belvo's wait, and the countdown starts on the link.
 */
export function RefreshLinkDialog({
  link,
  onClose,
  onTokenRequired,
}: {
  link: Link;
  onClose(): void;
  onTokenRequired?(error: unknown, resources: string[] | null): void;
}) {
  // The dialog's strings, and the MFA dialog's a refresh may lead to, load with it.
  useDeferredMessages();
  const { t } = useT();
  const mutation = useRefreshLink();
  const [offered, setOffered] = useState<readonly string[]>(() => resourcesForInstitutionType(institutionTypeOf(link.institution)));
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(offered));
  const groupId = useId();
  const supported = supportedFrom(mutation.error);
  const everything = chosen.size === offered.length;

  const send = (resources: string[] | null) =>
    mutation.mutate(
      { linkId: link.id, resources },
      {
        onError: (error) => {
          if (isApiError(error) && error.status === 428) onTokenRequired?.(error, resources);
        },
      },
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.size === 0 || mutation.isPending) return;
    // "All" sends no list: Belvo then refreshes everything the institution supports (seed 004).
    send(everything && supported === null ? null : offered.filter((resource) => chosen.has(resource)));
  };

  const retryWithSupported = () => {
    if (!supported) return;
    const keep = supported.filter((resource) => chosen.has(resource));
    const next = keep.length > 0 ? keep : supported;
    setOffered(supported);
    setChosen(new Set(next));
    send(next);
  };

  const toggle = (resource: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(resource)) next.delete(resource);
      else next.add(resource);
      return next;
    });

  return (
    <Modal
      open
      onOpenChange={(open) => {
        if (!open && !mutation.isPending) onClose();
      }}
      title={t('refresh.title', { id: shortId(link.id) })}
      description={t('refresh.intro')}
    >
      {mutation.isSuccess ? (
        <div className="space-y-3" role="status">
          <p className="font-medium text-green-800">{t('refresh.requested')}</p>
          <p className="flex items-center gap-1 text-sm">
            {t('errors.requestId')}: <code className="font-mono">{mutation.data.requestId}</code>
            <CopyButton value={mutation.data.requestId} label={t('errors.requestId')} />
          </p>
          <p className="text-sm text-slate-600">{t('refresh.cooldownNote')}</p>
          <div className="flex justify-end">
            <ModalClose asChild>
              <Button variant="primary">{t('refresh.close')}</Button>
            </ModalClose>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <fieldset aria-describedby={`${groupId}-hint`}>
            <legend className="text-sm font-medium">{t('refresh.resources')}</legend>
            <p id={`${groupId}-hint`} className="text-xs text-slate-600">
              {t('refresh.resourcesHint', { institution: link.institution })}
            </p>
            <div className="mt-2 grid grid-cols-2 gap-1.5">
              {offered.map((resource) => (
                <label key={resource} className="flex items-center gap-2 font-mono text-xs">
                  <input type="checkbox" checked={chosen.has(resource)} onChange={() => toggle(resource)} />
                  {resource}
                </label>
              ))}
            </div>
            <div className="mt-2 flex gap-2">
              <Button size="sm" variant="ghost" onClick={() => setChosen(new Set(offered))}>
                {t('refresh.all')}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setChosen(new Set())}>
                {t('refresh.none')}
              </Button>
            </div>
            {chosen.size === 0 ? <p className="mt-1 text-xs text-red-700">{t('refresh.chooseOne')}</p> : null}
          </fieldset>

          {mutation.error ? (
            <ErrorPanel
              compact
              title={isApiError(mutation.error) && mutation.error.status === 428 ? t('refresh.needsToken') : t('refresh.errorTitle')}
              error={mutation.error}
            >
              {supported ? (
                <div className="mt-2">
                  <p>{t('refresh.unsupported', { resources: supported.join(', ') })}</p>
                  <Button className="mt-2" variant="primary" onClick={retryWithSupported} disabled={mutation.isPending}>
                    {t('refresh.retrySupported')}
                  </Button>
                </div>
              ) : null}
            </ErrorPanel>
          ) : null}

          <div className="flex justify-end gap-2">
            <ModalClose asChild>
              <Button disabled={mutation.isPending}>{t('refresh.cancel')}</Button>
            </ModalClose>
            <Button type="submit" variant="primary" disabled={chosen.size === 0 || mutation.isPending} aria-busy={mutation.isPending}>
              {mutation.isPending ? t('refresh.submitting') : t('refresh.submit')}
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
