import type { Widen } from '../../../../lib/catalog.ts';

/** Support's link fixes (access mode, reconnect link): only the link page uses them, so they load with it. */
export const messages = {
  accessModeChange: {
    button: 'Change access mode',
    buttonLabel: 'Change access mode of link {id}',
    title: 'Make link {id} {mode}?',
    single: 'Belvo stops its scheduled updates of this link; data is fetched only when someone asks.',
    recurrent: 'Belvo updates this link on a schedule (every 7 days by default) and sends webhooks when it does.',
    confirm: 'Make it {mode}',
    submitting: 'Changing…',
    cancel: 'Cancel',
    done: 'Link {id} is now {mode}.',
    errorTitle: 'The access mode was not changed',
  },
  reconnect: {
    button: 'Reconnect link',
    buttonLabel: 'Reconnect link {id}',
    title: 'Reconnect link {id}',
    intro: 'Send this link to the end user. It opens Belvo’s widget, where they enter their new password or token; the link turns valid and this page updates.',
    creating: 'Asking Belvo for a reconnect link…',
    url: 'Reconnect link',
    copy: 'reconnect link',
    qr: 'QR code of the reconnect link',
    expiresIn: 'Expires in',
    expired: 'This reconnect link has expired. Make a new one.',
    again: 'Make a new link',
    errorTitle: 'No reconnect link was made',
    close: 'Close',
  },
};
export type Messages = Widen<typeof messages>;
