import type { TokenGenerationData } from '../../../../contract/mfa.ts';
import { formatCountdown } from '../../../lib/format.ts';
import { useT } from '../../../lib/i18n.ts';
import { QrValue } from './qr-value.tsx';

export type ChallengeKind = 'numeric' | 'qr' | 'text' | 'inputless' | 'unknown';

export function kindOf(data: TokenGenerationData | null | undefined): ChallengeKind {
  const type = data?.type?.toLowerCase();
  if (type === 'numeric' || type === 'qr' || type === 'text' || type === 'inputless') return type;
  return 'unknown';
}

/**
 * How long a numeric code is shown before we say it has probably changed. Belvo sends no validity
 * for the code itself (only the session's `expiry`); its MFA guide says numeric and QR codes rotate
 * every 30–60 seconds, so the shortest is the safe promise.
 */
export const numericCodeLifetimeMs = 30_000;

/** What the user must see to produce the token, per `token_generation_data.type` (seed 003). */
export function TokenChallenge({ data, codeAgeMs = 0 }: { data: TokenGenerationData | null | undefined; codeAgeMs?: number }) {
  const { t } = useT();
  const codeLeft = numericCodeLifetimeMs - codeAgeMs;
  const kind = kindOf(data);
  const instructions = data?.instructions ?? '';
  const value = data?.value ?? null;
  return (
    <div className="space-y-3">
      {instructions ? <p className="text-slate-800">{instructions}</p> : null}
      {kind === 'numeric' && value ? (
        <div className="rounded-md bg-slate-100 py-4 text-center">
          <p aria-hidden="true" className="font-mono text-4xl font-semibold tracking-[0.3em] text-slate-900">
            {value}
          </p>
          {/* Read digit by digit, and announced when a new code replaces the old one. */}
          <p className="sr-only" role="status" aria-live="assertive">
            {t('mfa.codeAnnouncement', { code: value.split('').join(' ') })}
          </p>
          {/* Its own clock: the code changes long before the session's expiry below. */}
          {codeLeft > 0 ? (
            <p className="mt-2 text-sm text-slate-700">
              {t('mfa.codeValidFor')}{' '}
              <span role="timer" className="font-mono tabular-nums">
                {formatCountdown(codeLeft)}
              </span>
            </p>
          ) : (
            <p className="mx-3 mt-2 text-sm font-medium text-amber-900">{t('mfa.codeMayHaveChanged')}</p>
          )}
        </div>
      ) : null}
      {kind === 'qr' && value ? <QrValue value={value} instructions={instructions} /> : null}
      {kind === 'unknown' ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p>{t('mfa.unknownType', { type: data?.type ?? '—' })}</p>
          {value ? <p className="mt-1 font-mono">{value}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
