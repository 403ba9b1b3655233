import { useQuery } from '@tanstack/react-query';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { formatCountdown, formatDateTime } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { operationsQueries } from '../../../shared/links/queries.ts';
import { useServerNow } from '../../../shared/links/use-server-now.ts';

/**
 * What Linkdesk did to this link and what Belvo said back: refreshes (which resources, and when
 * Belvo's historical_update webhook confirmed each), deletions, and the webhooks received.
 */
export function LinkActivity({ linkId }: { linkId: string }) {
  const { t, locale } = useT();
  const { data: activity } = useQuery({ ...operationsQueries.activity(linkId), refetchInterval: 15_000 });
  const { data: state } = useQuery(operationsQueries.state());
  const now = useServerNow();
  const offset = state?.clockOffsetMs ?? 0;
  const at = (epoch: number) => formatDateTime(epoch - offset, locale);
  const cooldown = state?.cooldowns.find((candidate) => candidate.link_id === linkId && candidate.ends_at > now);

  return (
    <section aria-labelledby="link-activity" className="rounded-lg border border-slate-200 bg-white">
      <h2 id="link-activity" className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-700">
        {t('activity.title')}
      </h2>
      <div className="space-y-3 p-4 text-sm">
        {cooldown ? (
          <p className="text-slate-700">
            {t('activity.cooldownUntil')}{' '}
            <span role="timer" className="font-mono tabular-nums">
              {formatCountdown(cooldown.ends_at - now)}
            </span>
          </p>
        ) : null}
        {!activity || activity.operations.length === 0 ? (
          <p className="text-slate-500">{t('activity.none')}</p>
        ) : (
          <ol className="space-y-3">
            {activity.operations.map((operation) => {
              const done = (operation.detail?.resources_done ?? {}) as Record<string, number>;
              const confirmed = Object.keys(done);
              return (
                <li key={operation.request_id} className="rounded-md border border-slate-100 p-3">
                  <p className="font-medium">
                    {t(operation.kind === 'refresh' ? 'activity.refresh' : 'activity.delete')} · {at(operation.requested_at)}
                    {operation.requested_by ? <span className="font-normal text-slate-600"> · {t('activity.by', { user: operation.requested_by })}</span> : null}
                  </p>
                  <p className="flex items-center gap-1 text-xs text-slate-600">
                    {t('errors.requestId')}: <code className="font-mono">{operation.request_id}</code>
                    <CopyButton value={operation.request_id} label={t('errors.requestId')} />
                  </p>
                  {operation.kind === 'refresh' ? (
                    <>
                      <p className="text-xs text-slate-600">
                        {t('activity.resources', { resources: operation.resources?.join(', ') ?? t('activity.allResources') })}
                      </p>
                      {confirmed.length > 0 ? (
                        <p className="text-xs text-green-800">
                          {t('activity.confirmedFor', {
                            resources: confirmed.map((resource) => `${resource} (${at(done[resource] ?? 0)})`).join(', '),
                          })}
                        </p>
                      ) : (
                        <p className="text-xs text-slate-500">{t('activity.awaiting')}</p>
                      )}
                    </>
                  ) : (
                    <p className="text-xs text-slate-600">{operation.state === 'done' ? t('activity.deleteConfirmed') : t('activity.awaiting')}</p>
                  )}
                </li>
              );
            })}
          </ol>
        )}
        {activity && activity.webhooks.length > 0 ? (
          <details>
            <summary className="cursor-pointer text-slate-700">{t('activity.webhooks', { count: activity.webhooks.length })}</summary>
            <ul className="mt-2 space-y-1 font-mono text-xs">
              {activity.webhooks.map((webhook, index) => (
                <li key={webhook.webhook_id ?? index}>
                  {at(webhook.received_at)} · {webhook.webhook_type}/{webhook.webhook_code} · {JSON.stringify(webhook.data)}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </section>
  );
}
