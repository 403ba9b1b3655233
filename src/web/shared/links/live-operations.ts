import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { invalidate, type LinksChange } from './queries.ts';

/**
 * Keeps every open dashboard current: the server's event stream says when shared state changed
 * (another user's refresh, a link_deleted webhook) and the affected queries are re-read.
 */
export function useLiveOperations() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/bff/events');
    const onChange = (event: MessageEvent<string>) => {
      const change = JSON.parse(event.data) as LinksChange;
      void invalidate(queryClient, change);
    };
    for (const type of ['operations-changed', 'link-deleted', 'link-changed'] satisfies LinksChange['type'][]) source.addEventListener(type, onChange);
    return () => source.close();
  }, [queryClient]);
}
