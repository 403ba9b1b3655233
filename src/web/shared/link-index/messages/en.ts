import type { Widen } from '../../../lib/catalog.ts';

/** How fresh the link index is, wherever it is read, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  index: {
    label: 'Index freshness',
    lastFullSync: 'Last full sync:',
    lastChange: 'Last change:',
    never: 'never',
    indexedCount: '{count, plural, one {# link indexed} other {# links indexed}}',
    syncNow: 'Sync now',
    syncing: 'Syncing…',
    syncNotStarted: 'The sync did not start',
    statusFailed: 'Couldn’t read the index’s state',
    syncFailed: 'The last sync stopped on an error. The index still answers with what it has, and tries again on its schedule.',
    syncFailedAt: 'Stopped',
    nextSync: 'next try',
    progress: {
      phase: {
        scan: 'Syncing every link from Belvo',
        newer: 'Syncing links created since the sync started',
        incremental: 'Looking for new links',
      },
      indexedOf: '{indexed} of {total} links',
      indexedOnly: '{indexed} links',
      rate: '{rate} links/s',
      etaSeconds: 'about {n, plural, one {# second} other {# seconds}} left',
      etaMinutes: 'about {n, plural, one {# minute} other {# minutes}} left',
    },
  
    pending: {
      empty: 'The account-wide index has no completed sync yet.',
      syncing: 'The account-wide index is doing its first full sync.',
      error: 'The account-wide index’s first sync stopped on an error.',
      unknown: 'The account-wide index can’t be read right now.',
      live: 'Until it is ready, this list reads Belvo page by page: sorting, the search box and the filters for access mode, refresh rate, dates, orphans and duplicates come with the index.',
      notApplied: 'Not applied yet: {filters}',
    },
  },
};
export type Messages = Widen<typeof messages>;
