import type { Messages } from './en.ts';

export const messages: Messages = {
  accessModeChange: {
    button: 'Cambiar modo de acceso',
    buttonLabel: 'Cambiar modo de acceso del link {id}',
    title: '¿Hacer el link {id} {mode}?',
    single: 'Belvo deja de actualizar este link de forma programada; los datos se obtienen solo cuando alguien los pide.',
    recurrent: 'Belvo actualiza este link de forma programada (cada 7 días por defecto) y envía webhooks cuando lo hace.',
    confirm: 'Hacerlo {mode}',
    submitting: 'Cambiando…',
    cancel: 'Cancelar',
    done: 'El link {id} ahora es {mode}.',
    errorTitle: 'El modo de acceso no cambió',
  },
  reconnect: {
    button: 'Reconectar link',
    buttonLabel: 'Reconectar link {id}',
    title: 'Reconectar link {id}',
    intro: 'Envía este enlace al usuario final. Abre el widget de Belvo, donde ingresa su nueva contraseña o token; el link vuelve a ser válido y esta página se actualiza.',
    creating: 'Pidiendo a Belvo un enlace de reconexión…',
    url: 'Enlace de reconexión',
    copy: 'enlace de reconexión',
    qr: 'Código QR del enlace de reconexión',
    expiresIn: 'Vence en',
    expired: 'Este enlace de reconexión venció. Crea uno nuevo.',
    again: 'Crear un enlace nuevo',
    errorTitle: 'No se creó ningún enlace de reconexión',
    close: 'Cerrar',
  },
};
