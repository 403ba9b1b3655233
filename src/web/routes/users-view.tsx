import { useQuery } from '@tanstack/react-query';
import { UsersPage } from '../features/users/components/users-page.tsx';
import { sessionQueries } from '../lib/session.ts';

export function UsersView() {
  const { data: session } = useQuery(sessionQueries.current());
  return <UsersPage currentUsername={session?.user.username ?? ''} />;
}
