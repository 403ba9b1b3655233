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
    sessionEnded: 'Sua sessão terminou (após 30 minutos sem atividade, ou uma saída em outro lugar). Entre para voltar à página em que você estava.',
    sessionEndedDuringAction: 'Sua sessão terminou antes de sua última ação chegar à Belvo, então ela não foi feita. Entre para voltar à página em que você estava e faça de novo lá, se ainda precisar.',
    demoHint: 'No simulador embutido, a primeira execução mostrou contas de demonstração (viewer, support, qa, admin) no terminal.',
    signedInAs: 'Conectado como {username}',
    signOut: 'Sair',
    readOnly: 'Seu papel ({role}) pode ler links, mas não alterá-los.',
  },
};
