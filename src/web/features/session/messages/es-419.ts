import type { Messages } from './en.ts';

export const messages: Messages = {
  session: {
    signedInAs: 'Sesión de {username}',
    signOut: 'Cerrar sesión',
    readOnly: 'Tu rol ({role}) puede leer links, pero no cambiarlos.',
  },
};
