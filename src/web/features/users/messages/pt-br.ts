import type { Messages } from './en.ts';

export const messages: Messages = {
  users: {
    title: 'Usuários',
    intro: 'Contas da equipe e seus papéis. Mudar um papel ou uma senha encerra as sessões da pessoa. Toda mudança fica no registro de auditoria.',
    username: 'Usuário',
    password: 'Senha',
    role: 'Papel',
    roleOf: 'Papel de {username}',
    since: 'Desde',
    actions: 'Ações',
    add: 'Adicionar usuário',
    addButton: 'Adicionar',
    added: '{username} foi adicionado.',
    passwordRule: 'Pelo menos 12 caracteres, sem conter o nome de usuário.',
    resetPassword: 'Redefinir senha',
    newPasswordFor: 'Nova senha para {username}',
    save: 'Salvar',
    cancel: 'Cancelar',
    remove: 'Remover',
    removeUser: 'Remover {username}',
    failed: 'Não foi possível carregar os usuários',
    changeFailed: 'A mudança não foi feita',
    sso: 'SSO',
    ssoHint: 'Entra pelo provedor de identidade, que define o papel a cada entrada.',
  },
};
