import { useState } from 'react';
import type { JobAction } from '../../../../contract/bff/jobs.ts';
import { Button } from '../../../components/ui/button.tsx';
import { BulkJobLauncher, useBulkActions } from '../../../shared/jobs/components/bulk-job-launcher.tsx';
import type { JobTarget } from '../../../shared/jobs/queries.ts';

/**
 * "Act on these" for a Health finding: the bulk dialog (preview, typed confirmation) on exactly the
 * finding's links. Offered only to people who may delete or refresh links.
 */
export function ActOnLinks({ target, label, initialAction = 'delete' }: { target: JobTarget; label: string; initialAction?: JobAction }) {
  const [open, setOpen] = useState(false);
  const actions = useBulkActions();
  if (actions.length === 0) return null;
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <BulkJobLauncher
        target={target}
        actions={actions}
        action={open ? (actions.includes(initialAction) ? initialAction : (actions[0] ?? 'delete')) : null}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
