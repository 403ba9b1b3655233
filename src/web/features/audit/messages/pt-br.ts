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
      linkHint: 'Um id de link, inteiro ou os 8 primeiros caracteres; pressione Enter ou Tab para aplicar.',
      from: 'De',
      to: 'Até',
    },
    actions: {
      sign_in: 'Entrada',
      sign_out: 'Saída',
      link: { delete: 'Excluir link', refresh: 'Atualizar link', mfa_resume: 'Token MFA', register: 'Registrar link' },
      user: { add: 'Adicionar usuário', remove: 'Remover usuário', set_role: 'Mudar papel', reset_password: 'Redefinir senha' },
    },
    pending: 'em andamento',
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
