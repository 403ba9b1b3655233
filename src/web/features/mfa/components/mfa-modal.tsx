import { useId, useRef, useState, type FormEvent } from 'react';
import { expectsUserInput, expirySeconds, type TokenRequiredError } from '../../../../contract/mfa.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { Modal } from '../../../components/ui/modal.tsx';
import { ApiError, isApiError } from '../../../lib/api-client.ts';
import { formatCountdown } from '../../../lib/format.ts';
import { useDeferredMessages, useT, type MessageId } from '../../../lib/i18n.ts';
import { challengeOf, isChallenge, type MfaFlowOptions, type MfaOutcome } from '../../../shared/mfa/mfa-flow.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useResumeLink } from '../../../shared/links/mfa-mutations.ts';
import { kindOf, TokenChallenge, type ChallengeKind } from './token-challenge.tsx';

const inputLabels: Record<ChallengeKind, MessageId> = {
  numeric: 'mfa.tokenNumeric',
  qr: 'mfa.tokenQr',
  text: 'mfa.tokenText',
  inputless: 'mfa.tokenInputless',
  unknown: 'mfa.tokenGeneric',
};

const isUnauthenticated = (error: unknown) => isApiError(error) && error.status === 401;

const mask = (token: string) => (token ? '•'.repeat(Math.min(token.length, 12)) : '(none)');

/**
 * Renders whatever Belvo's 428 asks for and resumes with PATCH /api/links/. A new 428 (a chained
 * challenge, or a fresh code for a late token) replaces the challenge in place; the session's
 * `expiry` counts down, and at zero the user can start again. Escape or closing asks first.
 */
export function MfaModal({ options, onFinish }: { options: MfaFlowOptions; onFinish(outcome: MfaOutcome): void }) {
  useDeferredMessages();
  const { t } = useT();
  const [challenge, setChallenge] = useState<TokenRequiredError>(options.challenge);
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const [round, setRound] = useState(1);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const [confirmingAbandon, setConfirmingAbandon] = useState(false);
  const [sessionExpired, setSessionExpired] = useState(false);
  const resume = useResumeLink();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const now = useNow(250);

  const data = challenge.token_generation_data;
  const kind = kindOf(data);
  const needsInput = expectsUserInput(data);
  const lifetime = expirySeconds(challenge.expiry) * 1000;
  const remaining = receivedAt + lifetime - now;
  const expired = sessionExpired || (lifetime > 0 && remaining <= 0);

  const trace = (label: string, status: number | null, started: number, summary: string, requestId: string | null) =>
    options.onExchange?.({ at: Date.now(), label, method: 'PATCH', path: '/api/links/', status, requestId, durationMs: performance.now() - started, summary });

  const adopt = (next: TokenRequiredError) => {
    setChallenge(next);
    setReceivedAt(Date.now());
    setRound((value) => value + 1);
    setToken('');
    setSessionExpired(false);
    setError(null);
    requestAnimationFrame(() => inputRef.current?.focus());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting || expired) return;
    if (needsInput && token.trim() === '') {
      setError(new ApiError(0, [{ code: 'required', message: t('mfa.enterToken'), field: 'token' }]));
      return;
    }
    setSubmitting(true);
    setError(null);
    const started = performance.now();
    const sent = needsInput ? token.trim() : '';
    try {
      const { status, link } = await resume.mutateAsync({ session: challenge.session, link: challenge.link, ...(needsInput ? { token: sent } : {}) });
      trace(t('mfa.traceResume'), status, started, `token ${mask(sent)} → ${status}, link ${link?.status ?? '?'}`, null);
      onFinish({ status: 'completed', link });
    } catch (caught) {
      // Linkdesk's own session ended: the app goes to sign-in and the flow closes (MfaFlowProvider).
      if (isUnauthenticated(caught)) return;
      const next = challengeOf(caught);
      const requestId = isApiError(caught) ? caught.requestId : null;
      const status = isApiError(caught) ? caught.status : null;
      if (next) {
        trace(t('mfa.traceResume'), 428, started, `token ${mask(sent)} → 428 ${next.token_generation_data?.type ?? '?'}, session ${next.session.slice(0, 8)}…`, next.request_id ?? null);
        adopt(next);
      } else {
        trace(t('mfa.traceResume'), status, started, `token ${mask(sent)} → ${isApiError(caught) ? caught.code : 'error'}`, requestId);
        if (isApiError(caught) && caught.code === 'session_expired') setSessionExpired(true);
        setError(caught);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const restart = async () => {
    if (!options.restart || submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const result = await options.restart();
      if (isChallenge(result)) adopt(result);
      else onFinish({ status: 'completed', link: result.link });
    } catch (caught) {
      if (isUnauthenticated(caught)) return;
      const next = challengeOf(caught);
      if (next) adopt(next);
      else setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const requestClose = () => {
    if (!submitting) setConfirmingAbandon(true);
  };

  return (
    <Modal
      open
      onOpenChange={(open) => {
        if (!open) requestClose();
      }}
      title={options.title}
      description={t('mfa.intro')}
    >
      {confirmingAbandon ? (
        <div className="space-y-4" role="alert">
          <p className="font-medium">{t('mfa.abandonQuestion')}</p>
          <p className="text-sm text-slate-600">{t('mfa.abandonConsequence')}</p>
          <div className="flex justify-end gap-2">
            <Button variant="primary" onClick={() => setConfirmingAbandon(false)} autoFocus>
              {t('mfa.keepGoing')}
            </Button>
            <Button variant="danger" onClick={() => onFinish({ status: 'abandoned' })}>
              {t('mfa.abandon')}
            </Button>
          </div>
        </div>
      ) : expired ? (
        <div className="space-y-4">
          <p className="font-medium text-red-800" role="alert">
            {t('mfa.expired')}
          </p>
          {error ? <ErrorPanel compact title={t('mfa.errorTitle')} error={error} /> : null}
          <div className="flex justify-end gap-2">
            <Button onClick={() => onFinish({ status: 'abandoned' })}>{t('mfa.close')}</Button>
            {options.restart ? (
              <Button variant="primary" onClick={() => void restart()} disabled={submitting} aria-busy={submitting}>
                {t('mfa.startAgain')}
              </Button>
            ) : null}
          </div>
        </div>
      ) : (
        <form onSubmit={(event) => void submit(event)} className="space-y-4" noValidate>
          {round > 1 ? (
            <p className="rounded-md bg-sky-50 p-2 text-sm text-sky-900" role="status">
              {t('mfa.newChallenge')}
            </p>
          ) : null}
          <TokenChallenge data={data} codeAgeMs={now - receivedAt} />
          {needsInput ? (
            <div className="space-y-1">
              <label htmlFor={inputId} className="block text-sm font-medium">
                {kind === 'text' && data?.value ? data.value : t(inputLabels[kind])}
              </label>
              <input
                id={inputId}
                ref={inputRef}
                value={token}
                onChange={(event) => setToken(event.target.value)}
                autoComplete="one-time-code"
                inputMode={kind === 'numeric' || kind === 'qr' ? 'numeric' : 'text'}
                spellCheck={false}
                autoFocus
                aria-invalid={isApiError(error) && error.fieldErrors('token').length > 0}
                className="w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-lg"
              />
            </div>
          ) : (
            <p className="rounded-md bg-slate-100 p-3 text-sm">{t('mfa.confirmElsewhere')}</p>
          )}
          {lifetime > 0 ? (
            <p className="text-sm text-slate-600">
              {t('mfa.expiresIn')}{' '}
              <span role="timer" className="font-mono tabular-nums">
                {formatCountdown(remaining)}
              </span>
            </p>
          ) : null}
          {error ? <ErrorPanel compact title={t('mfa.errorTitle')} error={error} /> : null}
          <div className="flex justify-end gap-2">
            <Button onClick={requestClose} disabled={submitting}>
              {t('mfa.cancel')}
            </Button>
            <Button type="submit" variant="primary" disabled={submitting} aria-busy={submitting}>
              {submitting ? t('mfa.sending') : needsInput ? t('mfa.submit') : t('mfa.continue')}
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
