import type { Messages } from './en.ts';

export const messages: Messages = {
  app: {
    name: 'Linkdesk',
    tagline: 'Console de links da Belvo',
    skipToContent: 'Pular para o conteúdo',
    mainNav: 'Principal',
    language: 'Idioma',
  },
  nav: {
    links: 'Links',
    playground: 'Playground de MFA',
    audit: 'Registro de auditoria',
    users: 'Usuários',
    health: 'Saúde',
    jobs: 'Jobs',
  },
  errors: {
    requestId: 'ID da requisição',
    retry: 'Tentar novamente',
    field: 'Campo: {field}',
    generic: 'Algo deu errado.',
    network: 'Não foi possível acessar o servidor do Linkdesk. Verifique sua conexão e tente novamente.',
    notFoundPage: 'Não há página neste endereço.',
    goHome: 'Ir para os links',
  },
  copy: {
    copy: 'Copiar',
    copyValue: 'Copiar {what}',
    copied: 'Copiado',
    failed: 'Não foi possível copiar. Selecione o texto e copie manualmente.',
  },
  time: {
    exact: 'Horário exato: {time}',
  },
};
