import { useState } from 'react';
import type { RowSelection } from './components/links-table.tsx';

interface SelectionState {
  /** The filters the selection was made under: another set of filters starts a new selection. */
  filterKey: string;
  ids: ReadonlySet<string>;
  /** Every link the filters match, on every page (a job by filter, not by ids). */
  allMatching: boolean;
  /** The row a shift-click extends from. */
  anchor: string | null;
}

const none = (filterKey: string): SelectionState => ({ filterKey, ids: new Set(), allMatching: false, anchor: null });

/**
 * The links chosen for a bulk job: rows by id (across pages), a shift-click range within the page,
 * the whole page, or every link matching the filters. Changing the filters clears it.
 */
export function useLinkSelection(pageIds: string[], filterKey: string) {
  const [stored, setStored] = useState<SelectionState>(() => none(filterKey));
  const state = stored.filterKey === filterKey ? stored : none(filterKey);
  const update = (next: (current: SelectionState) => SelectionState) =>
    setStored((previous) => next(previous.filterKey === filterKey ? previous : none(filterKey)));
  // Choosing rows after "all matching" starts from this page's rows, all chosen.
  const explicit = (current: SelectionState) => (current.allMatching ? new Set(pageIds) : new Set(current.ids));

  const onPage = pageIds.filter((id) => state.allMatching || state.ids.has(id)).length;
  const rows: RowSelection = {
    selected: (id) => state.allMatching || state.ids.has(id),
    page: onPage === 0 ? 'none' : onPage === pageIds.length ? 'all' : 'some',
    toggle: (id, range) =>
      update((current) => {
        const ids = explicit(current);
        const select = !(current.allMatching || current.ids.has(id));
        const from = range && current.anchor ? pageIds.indexOf(current.anchor) : -1;
        const to = pageIds.indexOf(id);
        const span = from >= 0 && to >= 0 ? pageIds.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
        for (const each of span) {
          if (select) ids.add(each);
          else ids.delete(each);
        }
        return { ...current, ids, allMatching: false, anchor: id };
      }),
    togglePage: () =>
      update((current) => {
        const ids = explicit(current);
        const all = pageIds.every((id) => ids.has(id));
        for (const id of pageIds) {
          if (all) ids.delete(id);
          else ids.add(id);
        }
        return { ...current, ids, allMatching: false };
      }),
  };
  return {
    rows,
    ids: [...state.ids],
    allMatching: state.allMatching,
    pageSelected: rows.page === 'all',
    selectAllMatching: () => update((current) => ({ ...current, allMatching: true })),
    clear: () => update(() => none(filterKey)),
  };
}
