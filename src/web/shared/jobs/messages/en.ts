import type { Widen } from '../../../lib/catalog.ts';

/** The bulk job dialog's strings: they load with the dialog (deferred), not with the first screen. */
export const messages = {
  bulk: {
    title: 'Act on several links',
    selectedIds: '{count, plural, one {# selected link} other {# selected links}}.',
    selectedFilter: 'Every link that matches',
    action: 'What to do',
    choice: {
      'delete-async': 'Delete, asynchronously (recommended)',
      'delete-sync': 'Delete, synchronously',
      refresh: 'Refresh',
    },
    choiceHint: {
      'delete-async': 'Sent at Belvo’s pace with no delete limit. Belvo confirms each deletion with a link_deleted webhook a little later.',
      'delete-sync': 'Limited to 5 deletions a minute, shared with everyone’s single deletes: a large job takes a long time.',
      refresh: 'Belvo fetches fresh data for every resource. Links refreshed in the last 10 minutes, and links whose status cannot be refreshed, are skipped.',
    },
    preview: 'What will happen',
    previewLoading: 'Checking each link (nothing is sent to Belvo)…',
    previewFailed: 'Couldn’t check these links',
    counts: '{send} will be sent, {skip} will be skipped.',
    estimate: 'About {minutes, plural, one {# minute} other {# minutes}} at Belvo’s pace.',
    overMax: 'A job takes at most {max} links; {requested} were asked for.',
    itemsLabel: 'Each link and what will happen to it',
    columns: { link: 'Link', institution: 'Institution', decision: 'Will be' },
    decision: { send: 'Sent', skip: 'Skipped' },
    reason: {
      in_cooldown: 'refreshed less than 10 minutes ago',
      already_deleted: 'already deleted or being deleted',
      status_not_refreshable: 'its status cannot be refreshed',
      in_other_job: 'another job holds it',
      not_found: 'Belvo has no such link',
    },
    nothingToSend: 'Every link would be skipped: there is nothing to start.',
    confirmLabel: 'To start, type: {phrase}',
    confirmHint: 'Type the words exactly as shown.',
    confirmMismatch: 'That is not the phrase above yet.',
    startDelete: 'Start deleting',
    startRefresh: 'Start refreshing',
    starting: 'Starting…',
    cancel: 'Cancel',
    startFailed: 'The job did not start',
    startFailedHint: 'Nothing was sent to Belvo. Check the preview and try again.',
  },
};
export type Messages = Widen<typeof messages>;
