import * as z from 'zod/mini';

// Sign-in through the company's OpenID Connect provider: `GET /bff/sign-in-methods` (public) tells
// the sign-in page what to offer; `GET /bff/oidc/start` and `/bff/oidc/callback` are browser
// navigations, not fetches; a failure lands on `/sign-in?sso_error=<problem>`.

export const signInMethodsSchema = z.object({
  /** Whether the username and password form is offered (LINKDESK_LOCAL_SIGN_IN). */
  local: z.boolean(),
  /** The provider's button, when one is configured. */
  sso: z.nullable(z.object({ name: z.string(), start_url: z.string() })),
});
export type SignInMethods = z.infer<typeof signInMethodsSchema>;

/**
 * Why an SSO sign-in did not finish: the provider is unreachable; the login took too long or was
 * started elsewhere; the person cancelled at the provider; a check failed (code, state, nonce, ID
 * token); or none of the person's groups maps to a Linkdesk role.
 */
export const oidcSignInProblems = ['unavailable', 'expired', 'denied', 'failed', 'no_role'] as const;
export type OidcSignInProblem = (typeof oidcSignInProblems)[number];

/** `DELETE /bff/session` for an SSO session whose provider can end its own session too. */
export const signOutSchema = z.object({ end_session_url: z.string() });
