import type { Messages } from './en.ts';

export const messages: Messages = {
  session: {
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
    signedInAs: 'Sesión de {username}',
    signOut: 'Cerrar sesión',
    readOnly: 'Tu rol ({role}) puede leer links, pero no cambiarlos.',
  },
};
