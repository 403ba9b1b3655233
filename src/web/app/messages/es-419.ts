import type { Messages } from './en.ts';

export const messages: Messages = {
  app: {
    name: 'Linkdesk',
    tagline: 'Consola de links de Belvo',
    skipToContent: 'Saltar al contenido',
    mainNav: 'Principal',
    language: 'Idioma',
  },
  nav: {
    links: 'Links',
    playground: 'Playground de MFA',
    audit: 'Registro de auditoría',
    users: 'Usuarios',
    health: 'Salud',
    jobs: 'Trabajos',
  },
  errors: {
    requestId: 'ID de la solicitud',
    retry: 'Reintentar',
    field: 'Campo: {field}',
    generic: 'Algo salió mal.',
    network: 'No se pudo contactar al servidor de Linkdesk. Revisa tu conexión e inténtalo de nuevo.',
    notFoundPage: 'No hay ninguna página en esta dirección.',
    goHome: 'Ir a los links',
  },
  copy: {
    copy: 'Copiar',
    copyValue: 'Copiar {what}',
    copied: 'Copiado',
    failed: 'No se pudo copiar. Selecciona el texto y cópialo a mano.',
  },
  time: {
    exact: 'Hora exacta: {time}',
  },
};
