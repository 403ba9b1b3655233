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
  // A 401 anywhere means the session ended (idle, signed out elsewhere): back to sign-in, and
  // back to this page afterwards.
  useEffect(() => {
    const onUnauthenticated = (error: unknown) => {
      if (!isApiError(error) || error.status !== 401 || router.state.location.pathname === '/sign-in') return;
      queryClient.setQueryData(sessionQueries.current().queryKey, null);
      void router.navigate({ to: '/sign-in', search: { redirect: router.state.location.href } });
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onUnauthenticated(event.action.error);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onUnauthenticated(event.action.error);
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
