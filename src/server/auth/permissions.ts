import type { Permission, Role } from '../../contract/roles.ts';
import type { BelvoMode } from '../config.ts';

export type { Permission };

/**
 * viewer: product managers — read everything, change nothing.
 * support: viewer + delete, refresh, resume MFA, change the access mode and make reconnect links for existing links.
 * qa: viewer + the playground (registration, its MFA, simulator controls), never against production.
 * admin: everything, and user management.
 */
const grants: Record<Role, readonly Permission[]> = {
  viewer: ['links:read', 'audit:read'],
  support: ['links:read', 'audit:read', 'links:delete', 'links:refresh', 'links:resume', 'links:access_mode', 'links:reconnect'],
  qa: ['links:read', 'audit:read', 'links:register', 'links:resume', 'sim:control'],
  admin: ['links:read', 'audit:read', 'links:delete', 'links:refresh', 'links:resume', 'links:access_mode', 'links:reconnect', 'links:register', 'sim:control', 'users:manage', 'index:sync'],
};

const qaSandboxOnly: readonly Permission[] = ['links:register', 'links:resume', 'sim:control'];

export function can(role: Role, permission: Permission, mode: BelvoMode): boolean {
  if (!grants[role].includes(permission)) return false;
  if (role === 'qa' && mode === 'production' && qaSandboxOnly.includes(permission)) return false;
  if (permission === 'links:register' && mode === 'production') return false;
  if (permission === 'sim:control' && mode !== 'simulator') return false;
  return true;
}

export function permissionsFor(role: Role, mode: BelvoMode): Permission[] {
  return (Object.values(grants).flat() as Permission[]).filter((permission, index, all) => all.indexOf(permission) === index && can(role, permission, mode));
}

const what: Record<Permission, string> = {
  'links:read': 'read links',
  'links:delete': 'delete links',
  'links:refresh': 'refresh links',
  'links:resume': 'complete MFA for links',
  'links:register': 'register links',
  'links:access_mode': 'change the access mode of links',
  'links:reconnect': 'make reconnect links for links',
  'sim:control': 'control the simulator',
  'audit:read': 'read the audit log',
  'users:manage': 'manage users',
  'index:sync': 'start a sync of the link index',
};

export function deniedMessage(role: Role, permission: Permission, mode: BelvoMode): string {
  if (permission === 'links:register' && mode === 'production') return 'Linkdesk does not register links against Belvo production.';
  if (permission === 'sim:control' && mode !== 'simulator') return 'Simulator controls exist only when Linkdesk runs on its built-in simulator.';
  if (role === 'qa' && mode === 'production') return `The qa role can ${what[permission]} only against the simulator or Belvo's sandbox.`;
  const who = permission === 'users:manage' || permission === 'index:sync' ? 'admin' : ['links:delete', 'links:refresh', 'links:access_mode', 'links:reconnect'].includes(permission) ? 'support' : 'support or qa';
  return `Your role (${role}) cannot ${what[permission]}. Ask an admin for the ${who} role.`;
}

/** Which permission a request needs; null for the few public endpoints. */
export function requiredPermission(method: string, path: string): Permission | 'signed-in' | null {
  if (path === '/bff/session' || path === '/bff/meta' || path === '/bff/sign-in-methods' || path.startsWith('/bff/oidc/')) return null;
  if (path.startsWith('/webhooks/')) return null;
  if (path === '/api/links/') {
    if (method === 'POST') return 'links:register';
    if (method === 'PATCH') return 'links:resume';
    return 'links:read';
  }
  if (/^\/api\/links\/[^/]+\/$/.test(path)) return method === 'DELETE' ? 'links:delete' : method === 'PATCH' ? 'links:access_mode' : 'links:read';
  if (/^\/bff\/links\/[^/]+\/reconnect$/.test(path)) return method === 'POST' ? 'links:reconnect' : 'links:read';
  if (/^\/api\/links\/[^/]+\/refresh\/$/.test(path)) return method === 'POST' ? 'links:refresh' : 'links:read';
  if (path.startsWith('/bff/users')) return 'users:manage';
  if (path === '/bff/index/sync') return method === 'POST' ? 'index:sync' : 'links:read';
  if (path.startsWith('/bff/audit')) return 'audit:read';
  if (path.startsWith('/bff/sim/')) return 'sim:control';
  if (path.startsWith('/bff/')) return 'links:read';
  if (path.startsWith('/api/')) return 'signed-in';
  return null;
}
