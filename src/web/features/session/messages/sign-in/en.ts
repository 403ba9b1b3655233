import type { Widen } from '../../../../lib/catalog.ts';

/** The sign-in page's strings: deferred, since signed-in screens never show them. */
export const messages = {
  signIn: {
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
    ssoSignIn: 'Sign in with {provider}',
    or: 'or with a Linkdesk account',
    ssoFailed: 'Could not sign in with {provider}',
    ssoProblems: {
      unavailable: '{provider} did not answer. Try again in a minute; if it keeps failing, tell whoever runs {provider}.',
      expired: 'The sign-in took too long or was started in another tab or browser. Start again here.',
      denied: 'The sign-in was cancelled at {provider}. Start again when you are ready.',
      failed: 'Linkdesk could not confirm who you are with {provider}, so it did not sign you in. Start again; if it repeats, tell an admin (the audit log has the details).',
      no_role: 'You signed in at {provider}, but none of your groups gives you a Linkdesk role. Ask an admin to add you to a Linkdesk group.',
    },
  },
};
export type Messages = Widen<typeof messages>;
