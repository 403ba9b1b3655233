import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import type { I18n } from '@lingui/core';
import { I18nProvider } from '@lingui/react';
import { Toaster } from '../components/ui/toaster.tsx';
import { MfaFlowProvider } from '../features/mfa/components/mfa-flow-provider.tsx';
import type { AppRouter } from './router.tsx';

/** Every provider the app needs, in one place, so tests render exactly what users get. */
export function App({ router, queryClient, i18n }: { router: AppRouter; queryClient: QueryClient; i18n: I18n }) {
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
