import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { staffUserAnswerSchema, staffUserListSchema, type StaffUser } from '../../../contract/bff/users.ts';
import { apiRequest } from '../../lib/api-client.ts';

export type { StaffUser };

export const userQueries = {
  all: () => ['users'] as const,
  list: () =>
    queryOptions({
      queryKey: [...userQueries.all(), 'list'] as const,
      queryFn: async ({ signal }) => (await apiRequest('/bff/users', { schema: staffUserListSchema, signal })).data.users,
    }),
};

/** Admin changes to staff accounts; each is audited by the server. */
export function useUserChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (change: { kind: 'add'; username: string; password: string; role: string } | { kind: 'role'; id: number; role: string } | { kind: 'password'; id: number; password: string } | { kind: 'remove'; id: number }) => {
      if (change.kind === 'add') await apiRequest('/bff/users', { method: 'POST', json: { username: change.username, password: change.password, role: change.role }, schema: staffUserAnswerSchema });
      else if (change.kind === 'role') await apiRequest(`/bff/users/${change.id}`, { method: 'PATCH', json: { role: change.role }, schema: staffUserAnswerSchema });
      else if (change.kind === 'password') await apiRequest(`/bff/users/${change.id}`, { method: 'PATCH', json: { password: change.password }, schema: staffUserAnswerSchema });
      else await apiRequest(`/bff/users/${change.id}`, { method: 'DELETE' });
      return change.kind;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: userQueries.all() }),
  });
}
