import type { Widen } from '../../../lib/catalog.ts';

/** Signing in and out, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  session: {
    title: 'Sign in to Linkdesk',
    intro: 'Staff accounts only. Ask an admin if you need one.',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    failed: 'Could not sign in',
    sessionEnded: 'Your session ended (after 30 minutes without activity, or a sign-out elsewhere). Sign in to go back to the page you were on.',
    sessionEndedDuringAction: 'Your session ended before your last action reached Belvo, so it was not done. Sign in to go back to the page you were on, and do it again there if you still need it.',
    demoHint: 'On the built-in simulator, the first start printed demo accounts (viewer, support, qa, admin) in the terminal.',
    signedInAs: 'Signed in as {username}',
    signOut: 'Sign out',
    readOnly: 'Your role ({role}) can read links but not change them.',
  },
};
export type Messages = Widen<typeof messages>;
