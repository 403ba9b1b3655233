import type { Messages } from './en.ts';

export const messages: Messages = {
  signIn: {
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
    ssoSignIn: 'Entrar com {provider}',
    or: 'ou com uma conta do Linkdesk',
    ssoFailed: 'Não foi possível entrar com {provider}',
    ssoProblems: {
      unavailable: '{provider} não respondeu. Tente de novo em um minuto; se continuar falhando, avise quem administra o {provider}.',
      expired: 'A entrada demorou demais ou foi iniciada em outra aba ou navegador. Comece de novo aqui.',
      denied: 'A entrada foi cancelada em {provider}. Comece de novo quando quiser.',
      failed: 'O Linkdesk não conseguiu confirmar sua identidade com {provider} e não abriu a sessão. Comece de novo; se repetir, avise um administrador (o registro de auditoria tem os detalhes).',
      no_role: 'Você entrou em {provider}, mas nenhum dos seus grupos dá um papel no Linkdesk. Peça a um administrador para incluí-lo em um grupo do Linkdesk.',
    },
  },
};
