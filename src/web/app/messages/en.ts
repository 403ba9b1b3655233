import type { Widen } from '../../lib/catalog.ts';

/** The strings of the app shell and of the UI primitives every page uses, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  app: {
    name: 'Linkdesk',
    tagline: 'Belvo links console',
    skipToContent: 'Skip to content',
    mainNav: 'Main',
    language: 'Language',
  },
  nav: {
    links: 'Links',
    playground: 'MFA playground',
    audit: 'Audit log',
    users: 'Users',
    health: 'Health',
    jobs: 'Jobs',
  },
  errors: {
    requestId: 'Request ID',
    retry: 'Try again',
    field: 'Field: {field}',
    generic: 'Something went wrong.',
    network: 'Linkdesk’s server could not be reached. Check your connection and try again.',
    notFoundPage: 'There is no page at this address.',
    goHome: 'Go to links',
  },
  copy: {
    copy: 'Copy',
    copyValue: 'Copy {what}',
    copied: 'Copied',
    failed: 'Couldn’t copy. Select the text and copy it by hand.',
  },
  time: {
    exact: 'Exact time: {time}',
  },
};
export type Messages = Widen<typeof messages>;
