import type { Widen } from '../../../lib/catalog.ts';

/** Staff roles, wherever a role is named, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  roles: {
    viewer: 'Viewer',
    support: 'Support',
    qa: 'QA',
    admin: 'Admin',
  },
};
export type Messages = Widen<typeof messages>;
