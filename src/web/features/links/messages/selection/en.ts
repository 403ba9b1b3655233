import type { Widen } from '../../../../lib/catalog.ts';

/** The links list's selection bar: deferred, it shows only once a link is selected. */
export const messages = {
  selection: {
    label: 'Selected links',
    count: '{count, plural, one {# link selected} other {# links selected}}',
    allMatching: 'All {count} links matching these filters are selected',
    selectAllMatching: 'Select all {count} matching',
    delete: 'Delete…',
    refresh: 'Refresh…',
    clear: 'Clear',
  },
};
export type Messages = Widen<typeof messages>;
