import type { Widen } from '../../../lib/catalog.ts';

/** What any page about links shows: statuses, modes, the refresh and delete actions and dialogs, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  status: {
    valid: 'Valid',
    invalid: 'Invalid',
    unconfirmed: 'Unconfirmed',
    token_required: 'Token required',
    meaning: {
      valid: 'A fully working link.',
      invalid: 'The credentials are no longer valid.',
      unconfirmed: 'The link was never created successfully, for example the user was asked for an MFA token and never gave it.',
      token_required: 'A previously valid link now needs a new token.',
    },
    action: {
      valid: 'Nothing to do. Refresh fetches new data now if you need it.',
      invalid: 'The user must enter their new credentials in your app (Connect widget in update mode); until then Refresh fails. Delete the link if they will not come back.',
      unconfirmed: 'It holds no data and can no longer be resumed: Delete it here, and have the user connect again from your app.',
      token_required: 'Refresh it here: Linkdesk asks for the token (MFA) and completes the update.',
    },
    whatToDo: 'What to do: {action}',
  },
  accessMode: {
    single: 'Single',
    recurrent: 'Recurrent',
    none: '—',
  },
  refreshRate: {
    '6h': 'Every 6 hours',
    '12h': 'Every 12 hours',
    '24h': 'Daily',
    '7d': 'Weekly',
    '30d': 'Monthly',
    none: 'No automatic refresh',
  },
  actions: {
    refresh: 'Refresh',
    refreshLinkLabel: 'Refresh link {id}',
    refreshInLabel: 'Refresh link {id} possible in {time}',
    refreshBlockedHint: 'Belvo allows one refresh per link every 10 minutes. Possible again at {time}.',
    delete: 'Delete',
    deleteLinkLabel: 'Delete link {id}',
    deleting: 'Deleting…',
    deletingHint: 'Deletion requested (request {requestId}). The link leaves the list when Belvo confirms it.',
  },
};
export type Messages = Widen<typeof messages>;
