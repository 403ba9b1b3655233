import type { Messages } from './en.ts';

export const messages: Messages = {
  session: {
    title: 'Entrar no Linkdesk',
    intro: 'Apenas contas da equipe. Peça uma a um administrador se precisar.',
    username: 'Usuário',
    password: 'Senha',
    signIn: 'Entrar',
    signingIn: 'Entrando…',
    failed: 'Não foi possível entrar',
    demoHint: 'No simulador embutido, a primeira execução mostrou contas de demonstração (viewer, support, qa, admin) no terminal.',
    signedInAs: 'Conectado como {username}',
    signOut: 'Sair',
    readOnly: 'Seu papel ({role}) pode ler links, mas não alterá-los.',
  },
};
