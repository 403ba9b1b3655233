import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client.ts';

/**
 * Reads retry twice on network trouble and Belvo 5xx/408, never on 4xx. Mutations never retry:
 * a delete or a refresh is sent once per click.
 */
export function createQueryClient(options: { retryDelayMs?: number } = {}) {
  return new QueryClient({
    defaultOptions: {
      queries: {
        ...(options.retryDelayMs === undefined ? {} : { retryDelay: options.retryDelayMs }),
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500 && error.status !== 408) return false;
          return failureCount < 2;
        },
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
