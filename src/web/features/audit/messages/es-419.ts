import type { Messages } from './en.ts';

export const messages: Messages = {
  audit: {
    title: 'Registro de auditoría',
    intro: 'Cada inicio de sesión, eliminación, actualización, reanudación de MFA, registro y cambio de usuario, cuándo se intentó y cómo terminó. Las entradas no se pueden editar ni borrar.',
    exportCsv: 'Exportar CSV',
    filters: {
      person: 'Persona',
      anyone: 'Cualquiera',
      action: 'Acción',
      any: 'Cualquiera',
      outcome: 'Resultado',
      link: 'ID del link',
      linkHint: 'Un id de link, completo o sus primeros 8 caracteres; pulsa Enter o Tab para aplicar.',
      from: 'Desde',
      to: 'Hasta',
    },
    actions: {
      sign_in: 'Inicio de sesión',
      sign_out: 'Cierre de sesión',
      link: { delete: 'Eliminar link', refresh: 'Actualizar link', mfa_resume: 'Token MFA', register: 'Registrar link' },
      user: { add: 'Agregar usuario', remove: 'Quitar usuario', set_role: 'Cambiar rol', reset_password: 'Restablecer contraseña' },
    },
    pending: 'en curso',
    columns: {
      time: 'Hora',
      who: 'Quién',
      action: 'Acción',
      outcome: 'Resultado',
      link: 'Link',
      requestId: 'Solicitud Belvo',
      detail: 'Detalle',
    },
    noneMatch: 'Ninguna entrada coincide con estos filtros.',
    none: 'Todavía no hay nada registrado para este link.',
    loadMore: 'Cargar entradas anteriores',
    failed: 'No se pudo cargar el registro de auditoría',
    linkHistory: 'Historial',
  },
};
