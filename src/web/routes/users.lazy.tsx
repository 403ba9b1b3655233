import { useQuery } from '@tanstack/react-query';
import { UsersPage } from '../features/users/components/users-page.tsx';
import { sessionQueries } from '../shared/session/session.ts';

export function UsersRouteComponent() {
  const { data: session } = useQuery(sessionQueries.current());
  return <UsersPage currentUsername={session?.user.username ?? ''} />;
}
