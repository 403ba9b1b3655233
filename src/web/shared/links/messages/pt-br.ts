import type { Messages } from './en.ts';

export const messages: Messages = {
  status: {
    valid: 'Válido',
    invalid: 'Inválido',
    unconfirmed: 'Não confirmado',
    token_required: 'Token necessário',
    meaning: {
      valid: 'Um link funcionando plenamente.',
      invalid: 'As credenciais não são mais válidas.',
      unconfirmed: 'O link nunca foi criado com sucesso; por exemplo, o usuário recebeu um pedido de token MFA e nunca o informou.',
      token_required: 'Um link antes válido agora precisa de um novo token.',
    },
    action: {
      valid: 'Nada a fazer. Atualizar busca dados novos agora, se você precisar.',
      invalid: 'O usuário precisa informar as novas credenciais no seu app (Connect widget em modo de atualização); até lá, Atualizar falha. Exclua o link se ele não for voltar.',
      unconfirmed: 'Não tem dados e não pode mais ser retomado: exclua-o aqui e peça ao usuário que se conecte de novo pelo seu app.',
      token_required: 'Atualize-o aqui: o Linkdesk pede o token (MFA) e conclui a atualização.',
    },
    whatToDo: 'O que fazer: {action}',
  },
  accessMode: {
    single: 'Único',
    recurrent: 'Recorrente',
    none: '—',
  },
  refreshRate: {
    '6h': 'A cada 6 horas',
    '12h': 'A cada 12 horas',
    '24h': 'Diário',
    '7d': 'Semanal',
    '30d': 'Mensal',
    none: 'Sem atualização automática',
  },
  actions: {
    refresh: 'Atualizar',
    refreshLinkLabel: 'Atualizar o link {id}',
    refreshInLabel: 'Atualização do link {id} possível em {time}',
    refreshBlockedHint: 'A Belvo permite uma atualização por link a cada 10 minutos. Possível de novo às {time}.',
    delete: 'Excluir',
    deleteLinkLabel: 'Excluir o link {id}',
    deleting: 'Excluindo…',
    deletingHint: 'Exclusão solicitada (requisição {requestId}). O link sai da lista quando a Belvo confirmar.',
  },
};
