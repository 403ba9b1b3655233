import type { Messages } from './en.ts';

export const messages: Messages = {
  accessModeChange: {
    button: 'Mudar modo de acesso',
    buttonLabel: 'Mudar modo de acesso do link {id}',
    title: 'Tornar o link {id} {mode}?',
    single: 'A Belvo para as atualizações agendadas deste link; os dados só são buscados quando alguém pede.',
    recurrent: 'A Belvo atualiza este link periodicamente (a cada 7 dias por padrão) e envia webhooks quando o faz.',
    confirm: 'Tornar {mode}',
    submitting: 'Mudando…',
    cancel: 'Cancelar',
    done: 'O link {id} agora é {mode}.',
    errorTitle: 'O modo de acesso não foi alterado',
  },
  reconnect: {
    button: 'Reconectar link',
    buttonLabel: 'Reconectar link {id}',
    title: 'Reconectar link {id}',
    intro: 'Envie este link ao usuário final. Ele abre o widget da Belvo, onde a pessoa informa a nova senha ou o token; o link volta a ser válido e esta página se atualiza.',
    creating: 'Pedindo um link de reconexão à Belvo…',
    url: 'Link de reconexão',
    copy: 'link de reconexão',
    qr: 'QR code do link de reconexão',
    expiresIn: 'Expira em',
    expired: 'Este link de reconexão expirou. Crie um novo.',
    again: 'Criar um novo link',
    errorTitle: 'Nenhum link de reconexão foi criado',
    close: 'Fechar',
  },
};
