import type { Messages } from './en.ts';

export const messages: Messages = {
  signIn: {
    title: 'Iniciar sesión en Linkdesk',
    intro: 'Solo cuentas del equipo. Pídele una a un administrador si la necesitas.',
    username: 'Usuario',
    password: 'Contraseña',
    signIn: 'Iniciar sesión',
    signingIn: 'Iniciando sesión…',
    failed: 'No se pudo iniciar sesión',
    sessionEnded: 'Tu sesión terminó (tras 30 minutos sin actividad, o un cierre de sesión en otro lugar). Inicia sesión para volver a la página en la que estabas.',
    sessionEndedDuringAction: 'Tu sesión terminó antes de que tu última acción llegara a Belvo, así que no se hizo. Inicia sesión para volver a la página en la que estabas y hazla de nuevo allí si aún la necesitas.',
    demoHint: 'En el simulador integrado, el primer arranque mostró cuentas de demostración (viewer, support, qa, admin) en la terminal.',
    ssoSignIn: 'Iniciar sesión con {provider}',
    or: 'o con una cuenta de Linkdesk',
    ssoFailed: 'No se pudo iniciar sesión con {provider}',
    ssoProblems: {
      unavailable: '{provider} no respondió. Inténtalo de nuevo en un minuto; si sigue fallando, avisa a quien administra {provider}.',
      expired: 'El inicio de sesión tardó demasiado o empezó en otra pestaña o navegador. Empieza de nuevo aquí.',
      denied: 'El inicio de sesión se canceló en {provider}. Empieza de nuevo cuando quieras.',
      failed: 'Linkdesk no pudo confirmar tu identidad con {provider}, así que no inició tu sesión. Empieza de nuevo; si se repite, avisa a un administrador (el registro de auditoría tiene los detalles).',
      no_role: 'Iniciaste sesión en {provider}, pero ninguno de tus grupos te da un rol en Linkdesk. Pide a un administrador que te agregue a un grupo de Linkdesk.',
    },
  },
};
