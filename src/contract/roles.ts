/** Staff roles and what they may do: the proxy enforces these, the SPA mirrors them. */
export const roles = ['viewer', 'support', 'qa', 'admin'] as const;
export type Role = (typeof roles)[number];

export type Permission =
  | 'links:read'
  | 'links:delete'
  | 'links:refresh'
  | 'links:resume'
  | 'links:register'
  | 'links:access_mode'
  | 'links:reconnect'
  | 'sim:control'
  | 'audit:read'
  | 'users:manage'
  | 'index:sync';
