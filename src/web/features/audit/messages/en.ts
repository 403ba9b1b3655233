import type { Widen } from '../../../lib/catalog.ts';

/** The audit log, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  audit: {
    title: 'Audit log',
    intro: 'Every sign-in, deletion, refresh, MFA resume, registration and user change, when it was attempted and how it ended. Entries cannot be edited or removed.',
    exportCsv: 'Export CSV',
    filters: {
      person: 'Person',
      anyone: 'Anyone',
      action: 'Action',
      any: 'Any',
      outcome: 'Outcome',
      link: 'Link ID',
      linkHint: 'A link id, whole or its first 8 characters; press Enter or Tab to apply.',
      from: 'From',
      to: 'To',
    },
    actions: {
      sign_in: 'Sign-in',
      sign_out: 'Sign-out',
      link: { delete: 'Delete link', refresh: 'Refresh link', mfa_resume: 'MFA token', register: 'Register link', access_mode: 'Change access mode', reconnect: 'Reconnect link' },
      user: { add: 'Add user', remove: 'Remove user', set_role: 'Change role', reset_password: 'Reset password' },
    },
    outcomes: {
      attempted: 'Attempted',
      success: 'Succeeded',
      accepted: 'Accepted by Belvo',
      confirmed: 'Confirmed by Belvo',
      refused: 'Refused',
      blocked: 'Blocked by a limit',
      denied: 'Denied',
      failure: 'Failed',
      throttled: 'Too many attempts',
      token_required: 'Token required',
      unknown: 'No answer from Belvo',
      outcome_unknown: 'Outcome unknown',
      not_done: 'Not done',
      error: 'Belvo error',
    },
    pending: 'in progress',
    columns: {
      time: 'Time',
      who: 'Who',
      action: 'Action',
      outcome: 'Outcome',
      link: 'Link',
      requestId: 'Belvo request',
      detail: 'Detail',
    },
    noneMatch: 'No entries match these filters.',
    none: 'Nothing recorded for this link yet.',
    loadMore: 'Load older entries',
    failed: 'Could not load the audit log',
    linkHistory: 'History',
  },
};
export type Messages = Widen<typeof messages>;
