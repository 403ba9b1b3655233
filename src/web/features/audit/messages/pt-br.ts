import type { Messages } from './en.ts';

export const messages: Messages = {
  audit: {
    title: 'Registro de auditoria',
    intro: 'Cada login, exclusão, atualização, retomada de MFA, registro e mudança de usuário, quando foi tentado e como terminou. As entradas não podem ser editadas nem removidas.',
    exportCsv: 'Exportar CSV',
    filters: {
      person: 'Pessoa',
      anyone: 'Qualquer pessoa',
      action: 'Ação',
      any: 'Qualquer',
      outcome: 'Resultado',
      link: 'ID do link',
      linkHint: 'Um id de link completo; pressione Tab para aplicar.',
      from: 'De',
      to: 'Até',
    },
    columns: {
      time: 'Horário',
      who: 'Quem',
      action: 'Ação',
      outcome: 'Resultado',
      link: 'Link',
      requestId: 'Requisição Belvo',
      detail: 'Detalhe',
    },
    noneMatch: 'Nenhuma entrada corresponde a estes filtros.',
    none: 'Nada registrado para este link ainda.',
    loadMore: 'Carregar entradas mais antigas',
    failed: 'Não foi possível carregar o registro de auditoria',
    linkHistory: 'Histórico',
  },
};
