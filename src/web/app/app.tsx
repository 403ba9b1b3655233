import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { RouterProvider } from '@tanstack/react-router';
import type { I18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { Toaster } from '../components/ui/toaster.tsx';
import { isApiError } from '../lib/api-client.ts';
import { sessionQueries } from '../shared/session/session.ts';
import { MfaFlowProvider } from '../features/mfa/components/mfa-flow-provider.tsx';
import type { AppRouter } from './router.tsx';

/** Every provider the app needs, in one place, so tests render exactly what users get. */
export function App({ router, queryClient, i18n }: { router: AppRouter; queryClient: QueryClient; i18n: I18n }) {
  // A 401 anywhere means the session ended (idle, signed out elsewhere): back to sign-in, saying
  // so (and whether an action was refused), and back to this page afterwards. The action itself
  // is never sent again by itself: the person decides once they are back.
  useEffect(() => {
    let leaving = false;
    const onUnauthenticated = (error: unknown) => {
      if (!isApiError(error) || error.status !== 401 || leaving || router.state.location.pathname === '/sign-in') return;
      // A mutation still in flight (its own 401, or the reads it invalidates failing first) means
      // an action was refused.
      const reason = queryClient.isMutating() > 0 || error === lastMutationError ? 'ended_during_action' : 'ended';
      leaving = true;
      queryClient.setQueryData(sessionQueries.current().queryKey, null);
      void router.navigate({ to: '/sign-in', search: { redirect: router.state.location.href, reason } }).finally(() => {
        leaving = false;
      });
    };
    let lastMutationError: unknown = null;
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onUnauthenticated(event.action.error);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return;
      lastMutationError = event.action.error;
      onUnauthenticated(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient, router]);

  return (
    <I18nProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Toaster>
          <MfaFlowProvider>
            <RouterProvider router={router} />
          </MfaFlowProvider>
        </Toaster>
      </QueryClientProvider>
    </I18nProvider>
  );
}
