import type { Messages } from './en.ts';

export const messages: Messages = {
  users: {
    title: 'Usuarios',
    intro: 'Cuentas del equipo y sus roles. Cambiar un rol o una contraseña cierra las sesiones de esa persona. Todo cambio queda en el registro de auditoría.',
    username: 'Usuario',
    password: 'Contraseña',
    role: 'Rol',
    roleOf: 'Rol de {username}',
    since: 'Desde',
    actions: 'Acciones',
    add: 'Agregar un usuario',
    addButton: 'Agregar',
    added: 'Se agregó a {username}.',
    passwordRule: 'Al menos 12 caracteres, sin incluir el nombre de usuario.',
    resetPassword: 'Restablecer contraseña',
    newPasswordFor: 'Nueva contraseña para {username}',
    save: 'Guardar',
    cancel: 'Cancelar',
    remove: 'Quitar',
    removeUser: 'Quitar a {username}',
    failed: 'No se pudieron cargar los usuarios',
    changeFailed: 'No se hizo el cambio',
    sso: 'SSO',
    ssoHint: 'Inicia sesión con el proveedor de identidad, que define el rol en cada inicio de sesión.',
  },
};
