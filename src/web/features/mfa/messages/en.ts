import type { Widen } from '../../../lib/catalog.ts';

/** The MFA modal, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  mfa: {
    titleRefresh: 'Token needed to refresh link {id}',
    titleRegister: 'Token needed to connect {institution}',
    intro: 'The institution asks for a second factor. Follow the instructions, then send the token.',
    codeAnnouncement: 'Code: {code}',
    qrAlt: 'QR code to scan. {instructions}',
    qrFromImage: 'Image sent by Belvo',
    qrDrawn: 'Drawn from the value Belvo sent',
    unknownType: 'Belvo asked for a kind of token Linkdesk does not know ({type}). Follow the instructions and enter what the user receives.',
    tokenNumeric: 'Token the user’s app shows after entering this code',
    tokenQr: 'Token shown after scanning',
    tokenText: 'Answer',
    tokenInputless: 'Token from the user’s app or device',
    tokenGeneric: 'Token',
    enterToken: 'Enter the token first.',
    confirmElsewhere: 'Confirm the login on the other device, then press Continue.',
    expiresIn: 'Session expires in',
    submit: 'Send token',
    continue: 'Continue',
    sending: 'Sending…',
    cancel: 'Cancel',
    close: 'Close',
    newChallenge: 'Belvo asked for another token. The challenge below is new.',
    expired: 'The session expired before the token arrived. Start again to get a new challenge.',
    startAgain: 'Start again',
    errorTitle: 'Belvo did not accept that',
    abandonQuestion: 'Abandon this MFA flow?',
    abandonConsequence: 'The token is not sent; the link stays as it is. You can start again later.',
    keepGoing: 'Keep going',
    abandon: 'Abandon',
    traceResume: 'Resume',
    refreshCompleted: 'Token accepted: link {id} is valid again and its refresh was requested.',
  },
};
export type Messages = Widen<typeof messages>;
