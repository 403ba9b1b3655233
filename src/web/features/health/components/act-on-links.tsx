import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import type { JobAction } from '../../../../contract/bff/jobs.ts';
import { Button } from '../../../components/ui/button.tsx';
import type { JobTarget } from '../../../shared/jobs/queries.ts';
import { can, sessionQueries } from '../../../shared/session/session.ts';

const BulkJobDialog = lazy(() => import('../../../shared/jobs/components/bulk-job-dialog.tsx').then((module) => ({ default: module.BulkJobDialog })));

/**
 * "Act on these" for a Health finding: the bulk dialog (preview, typed confirmation) on exactly the
 * finding's links. Offered only to people who may delete or refresh links.
 */
export function ActOnLinks({ target, label, initialAction = 'delete' }: { target: JobTarget; label: string; initialAction?: JobAction }) {
  const { data: session } = useQuery(sessionQueries.current());
  const [open, setOpen] = useState(false);
  const actions: JobAction[] = [...(can(session, 'links:delete') ? (['delete'] as const) : []), ...(can(session, 'links:refresh') ? (['refresh'] as const) : [])];
  if (actions.length === 0) return null;
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Suspense fallback={null}>
        {open ? (
          <BulkJobDialog target={target} actions={actions} initialAction={actions.includes(initialAction) ? initialAction : (actions[0] ?? 'delete')} onClose={() => setOpen(false)} />
        ) : null}
      </Suspense>
    </>
  );
}
