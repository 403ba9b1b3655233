import { createRoute, redirect, useRouter } from '@tanstack/react-router';
import * as z from 'zod/mini';
import { SignInPage } from '../features/session/components/sign-in-page.tsx';
import { preloadDeferredMessages } from '../lib/i18n.ts';
import { safeRedirect } from '../shared/session/session.ts';
import { rootRoute } from './root.tsx';

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'sign-in',
  validateSearch: z.object({
    redirect: z.catch(z.optional(z.string()), undefined),
    reason: z.catch(z.optional(z.enum(['ended', 'ended_during_action'])), undefined),
    sso_error: z.catch(z.optional(z.string()), undefined),
  }),
  beforeLoad: ({ context, search }) => {
    if (context.session) throw redirect({ href: safeRedirect(search.redirect) });
  },
  // The form's strings are deferred (signed-in screens never show them): fetched with the route.
  loader: () => preloadDeferredMessages(),
  component: SignInRouteComponent,
});

function SignInRouteComponent() {
  const search = signInRoute.useSearch();
  const router = useRouter();
  return <SignInPage reason={search.reason} ssoError={search.sso_error} returnTo={search.redirect} onSignedIn={() => void router.history.push(safeRedirect(search.redirect))} />;
}
