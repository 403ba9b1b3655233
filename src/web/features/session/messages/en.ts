import type { Widen } from '../../../lib/catalog.ts';

/** Signing in and out, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  session: {
    signedInAs: 'Signed in as {username}',
    signOut: 'Sign out',
    readOnly: 'Your role ({role}) can read links but not change them.',
  },
};
export type Messages = Widen<typeof messages>;
