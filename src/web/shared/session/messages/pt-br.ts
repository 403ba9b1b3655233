import type { Messages } from './en.ts';

export const messages: Messages = {
  roles: {
    viewer: 'Leitura',
    support: 'Suporte',
    qa: 'QA',
    admin: 'Administrador',
  },
};
