import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import type { JobAction } from '../../../../contract/bff/jobs.ts';
import { can, sessionQueries } from '../../session/session.ts';
import type { JobTarget } from '../queries.ts';

// The dialog, its preview table and its strings load only when someone opens it.
const BulkJobDialog = lazy(() => import('./bulk-job-dialog.tsx').then((module) => ({ default: module.BulkJobDialog })));

/** The bulk actions a person may start: as for single actions, support and admin. */
export function useBulkActions(): JobAction[] {
  const { data: session } = useQuery(sessionQueries.current());
  return [...(can(session, 'links:delete') ? (['delete'] as const) : []), ...(can(session, 'links:refresh') ? (['refresh'] as const) : [])];
}

/** The bulk dialog for `target`, opened on `action` (null: closed), loaded on first use. */
export function BulkJobLauncher({ target, actions, action, onClose }: { target: JobTarget; actions: JobAction[]; action: JobAction | null; onClose(): void }) {
  return (
    <Suspense fallback={null}>
      {action ? <BulkJobDialog target={target} actions={actions} initialAction={action} onClose={onClose} /> : null}
    </Suspense>
  );
}
