import type { Messages } from './en.ts';

export const messages: Messages = {
  roles: {
    viewer: 'Lectura',
    support: 'Soporte',
    qa: 'QA',
    admin: 'Administrador',
  },
};
