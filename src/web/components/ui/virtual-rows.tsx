import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

/**
 * The rows of a long table that are near its scroll frame's viewport (`rows`, each with its
 * `index`), and the height of those that are not, above and below: a table of a thousand links
 * renders a screenful. Put `scrollRef` on the scroll frame, a `SpacerRow` before and after the
 * rows, and aria-rowcount / aria-rowindex on the table so screen readers know its true size.
 */
export function useVirtualRows(options: { count: number; rowHeight: number; overscan?: number; initialRect?: { width: number; height: number } }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler cannot memoise around the virtualiser's functions; this hook is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: options.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => options.rowHeight,
    overscan: options.overscan ?? 12,
    initialRect: options.initialRect ?? { width: 1200, height: 720 },
  });
  const rows = virtualizer.getVirtualItems();
  return {
    scrollRef,
    rows,
    paddingTop: rows[0]?.start ?? 0,
    paddingBottom: virtualizer.getTotalSize() - (rows[rows.length - 1]?.end ?? 0),
  };
}

/** The room taken by rows not rendered, above or below the rendered ones; nothing when there are none. */
export function SpacerRow({ height, colSpan }: { height: number; colSpan: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true">
      <td colSpan={colSpan} style={{ height, padding: 0 }} />
    </tr>
  );
}
