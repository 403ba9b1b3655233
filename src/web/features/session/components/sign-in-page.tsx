import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { metaQueries } from '../../../shared/meta/meta.ts';
import { safeRedirect } from '../../../shared/session/session.ts';
import { signInMethodsQueries, ssoProblemOf, useSignIn } from '../queries.ts';

/**
 * The one page an anonymous visitor gets: "Sign in with <provider>" when SSO is configured, the
 * password form unless it is switched off, why the session ended (`reason`), and why the last SSO
 * attempt failed (`ssoError`).
 */
export function SignInPage({
  onSignedIn,
  reason,
  ssoError,
  returnTo,
}: {
  onSignedIn(): void;
  reason?: 'ended' | 'ended_during_action';
  ssoError?: string;
  returnTo?: string;
}) {
  useDeferredMessages();
  const { t } = useT();
  const { data: meta } = useQuery(metaQueries.meta());
  const { data: methods } = useQuery(signInMethodsQueries.methods());
  const sso = methods?.sso ?? null;
  const ssoProblem = ssoProblemOf(ssoError);
  const provider = sso?.name ?? '';
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const id = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    signIn.mutate({ username: username.trim(), password }, { onSuccess: () => onSignedIn() });
  };

  return (
    <div className="mx-auto mt-12 max-w-sm">
      <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`} className="text-xl font-semibold">
          {t('signIn.title')}
        </h1>
        {reason ? (
          <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
            {t(reason === 'ended' ? 'signIn.sessionEnded' : 'signIn.sessionEndedDuringAction')}
          </p>
        ) : null}
        <p className="text-sm text-slate-600">{t('signIn.intro')}</p>
        {ssoProblem && sso ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
            <p className="font-medium">{t('signIn.ssoFailed', { provider })}</p>
            <p>{t(`signIn.ssoProblems.${ssoProblem}`, { provider })}</p>
          </div>
        ) : null}
        {sso ? (
          <a
            href={`${sso.start_url}?redirect=${encodeURIComponent(safeRedirect(returnTo))}`}
            className="block w-full rounded-md bg-slate-900 px-3 py-2 text-center text-sm font-medium text-white hover:bg-slate-700"
          >
            {t('signIn.ssoSignIn', { provider })}
          </a>
        ) : null}
        {methods?.local === false ? null : (
          <>
            {sso ? <p className="text-center text-xs text-slate-500">{t('signIn.or')}</p> : null}
            <div className="space-y-1">
              <label htmlFor={`${id}-username`} className="block text-sm font-medium">
                {t('signIn.username')}
              </label>
              <input
                id={`${id}-username`}
                value={username}
                onChange={(event) => setUsername(event.target.value)}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                className="w-full rounded-md border border-slate-300 px-3 py-2"
              />
            </div>
            <div className="space-y-1">
              <label htmlFor={`${id}-password`} className="block text-sm font-medium">
                {t('signIn.password')}
              </label>
              <input
                id={`${id}-password`}
                type="password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                autoComplete="current-password"
                required
                className="w-full rounded-md border border-slate-300 px-3 py-2"
              />
            </div>
            {signIn.error ? <ErrorPanel compact title={t('signIn.failed')} error={signIn.error} /> : null}
            <Button type="submit" variant="primary" className="w-full" disabled={signIn.isPending || !username || !password} aria-busy={signIn.isPending}>
              {signIn.isPending ? t('signIn.signingIn') : t('signIn.signIn')}
            </Button>
            {meta?.belvo_mode === 'simulator' ? <p className="text-xs text-slate-500">{t('signIn.demoHint')}</p> : null}
          </>
        )}
      </form>
    </div>
  );
}
