import type { Messages } from './en.ts';

export const messages: Messages = {
  status: {
    valid: 'Válido',
    invalid: 'Inválido',
    unconfirmed: 'Sin confirmar',
    token_required: 'Requiere token',
    meaning: {
      valid: 'Un link que funciona por completo.',
      invalid: 'Las credenciales ya no son válidas.',
      unconfirmed: 'El link nunca se creó con éxito; por ejemplo, se le pidió al usuario un token MFA y nunca lo ingresó.',
      token_required: 'Un link que era válido ahora necesita un token nuevo.',
    },
    action: {
      valid: 'Nada que hacer. Actualizar trae datos nuevos ahora, si los necesitas.',
      invalid: 'El usuario debe ingresar sus nuevas credenciales en tu app (Connect widget en modo de actualización); hasta entonces, Actualizar falla. Elimina el link si no va a volver.',
      unconfirmed: 'No tiene datos y ya no se puede reanudar: elimínalo aquí y pídele al usuario que se conecte de nuevo desde tu app.',
      token_required: 'Actualízalo aquí: Linkdesk pide el token (MFA) y completa la actualización.',
    },
    whatToDo: 'Qué hacer: {action}',
  },
  accessMode: {
    single: 'Único',
    recurrent: 'Recurrente',
    none: '—',
  },
  refreshRate: {
    '6h': 'Cada 6 horas',
    '12h': 'Cada 12 horas',
    '24h': 'Diario',
    '7d': 'Semanal',
    '30d': 'Mensual',
    none: 'Sin actualización automática',
  },
  actions: {
    refresh: 'Actualizar',
    refreshLinkLabel: 'Actualizar el link {id}',
    refreshInLabel: 'Actualización del link {id} posible en {time}',
    refreshBlockedHint: 'Belvo permite una actualización por link cada 10 minutos. Posible de nuevo a las {time}.',
    delete: 'Eliminar',
    deleteLinkLabel: 'Eliminar el link {id}',
    deleting: 'Eliminando…',
    deletingHint: 'Eliminación solicitada (solicitud {requestId}). El link sale de la lista cuando Belvo la confirme.',
  },
};
