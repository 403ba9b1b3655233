import { useT } from '../../../lib/i18n.ts';

// The skeleton is what the router shows while any page loads, so it ships with the first screen;
// the table itself (virtualiser, actions, tooltips) loads with the list pages' own chunks.
export const rowHeight = 44;
/** The sticky header's height with one line of labels (they wrap to two only in narrow windows). */
const headerHeight = 33;

/**
 * Stands where the table will be, at the height it will have (a header and `rows` rows of the
 * table's fixed height, at most the frame's 70vh), so the rows replace it without moving anything.
 */
export function LinksTableSkeleton({ rows = 100 }: { rows?: number }) {
  const { t } = useT();
  const shown = Math.min(rows, 16);
  return (
    <div
      className="max-h-[70vh] min-h-40 overflow-hidden rounded-lg border border-slate-200 bg-white"
      style={{ height: headerHeight + rows * rowHeight }}
      role="status"
      aria-label={t('links.loading')}
    >
      <div className="bg-slate-100" style={{ height: headerHeight }} />
      {Array.from({ length: shown }, (_, index) => (
        <div key={index} className="flex items-center gap-4 border-t border-slate-100 px-3" style={{ height: rowHeight }}>
          <span className="h-4 w-20 animate-pulse rounded bg-slate-200" />
          <span className="h-4 w-36 animate-pulse rounded bg-slate-200" />
          <span className="h-4 w-28 animate-pulse rounded bg-slate-200" />
          <span className="h-4 w-20 animate-pulse rounded-full bg-slate-200" />
          <span className="h-4 flex-1 animate-pulse rounded bg-slate-100" />
        </div>
      ))}
    </div>
  );
}
