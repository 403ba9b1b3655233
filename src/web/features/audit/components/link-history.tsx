import { useQuery } from '@tanstack/react-query';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { auditQueries } from '../queries.ts';
import { AuditTable } from './audit-table.tsx';

/** Everything anyone did to this link through Linkdesk, from the audit log. */
export function LinkHistory({ linkId }: { linkId: string }) {
  useDeferredMessages();
  const { t } = useT();
  const { data } = useQuery({ ...auditQueries.link(linkId), refetchInterval: 15_000 });
  return (
    <section aria-labelledby="link-history" className="space-y-2">
      <h2 id="link-history" className="text-sm font-semibold text-slate-700">
        {t('audit.linkHistory')}
      </h2>
      {data && data.entries.length > 0 ? <AuditTable entries={data.entries} showLink={false} /> : <p className="text-sm text-slate-500">{t('audit.none')}</p>}
    </section>
  );
}
