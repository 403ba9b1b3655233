import { useQuery } from '@tanstack/react-query';
import { useNow } from '../../lib/use-now.ts';
import { operationsQueries } from './queries.ts';

/**
 * "Now" on the server's clock: cooldowns end when the server says. Ticks four times a second so a
 * displayed countdown is never more than a quarter second stale; only components showing one use it.
 */
export function useServerNow(intervalMs = 250): number {
  const { data } = useQuery(operationsQueries.state());
  return useNow(intervalMs) + (data?.clockOffsetMs ?? 0);
}
