import type { Widen } from '../../../lib/catalog.ts';

/** Staff user management, in English: pt-br.ts and es-419.ts must have exactly these keys. */
export const messages = {
  users: {
    title: 'Users',
    intro: 'Staff accounts and their roles. Changing a role or a password ends that person’s sessions. Every change is in the audit log.',
    username: 'Username',
    password: 'Password',
    role: 'Role',
    roleOf: 'Role of {username}',
    since: 'Since',
    actions: 'Actions',
    add: 'Add a user',
    addButton: 'Add',
    added: '{username} was added.',
    passwordRule: 'At least 12 characters, not containing the username.',
    resetPassword: 'Reset password',
    newPasswordFor: 'New password for {username}',
    save: 'Save',
    cancel: 'Cancel',
    remove: 'Remove',
    removeUser: 'Remove {username}',
    failed: 'Could not load the users',
    changeFailed: 'The change was not made',
    roleChanged: '{username} is now {role}. Their sessions have ended.',
    passwordChanged: 'The password of {username} was changed. Their sessions have ended.',
    removed: '{username} was removed.',
    removeTitle: 'Remove {username}?',
    removeBody: '{username} will no longer be able to sign in, and any session they have open ends now. What they did stays in the audit log.',
    removeConfirm: 'Remove {username}',
    removing: 'Removing…',
    removeFailed: '{username} was not removed',
    sso: 'SSO',
    ssoHint: 'Signs in through the identity provider, which sets the role at each sign-in.',
  },
};
export type Messages = Widen<typeof messages>;
