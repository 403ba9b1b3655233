import type { Messages } from './en.ts';

export const messages: Messages = {
  session: {
    signedInAs: 'Conectado como {username}',
    signOut: 'Sair',
    readOnly: 'Seu papel ({role}) pode ler links, mas não alterá-los.',
  },
};
