import type { TokenGenerationData } from '../../../../contract/mfa.ts';
import { useT } from '../../../lib/i18n.ts';
import { QrValue } from './qr-value.tsx';

export type ChallengeKind = 'numeric' | 'qr' | 'text' | 'inputless' | 'unknown';

export function kindOf(data: TokenGenerationData | null | undefined): ChallengeKind {
  const type = data?.type?.toLowerCase();
  if (type === 'numeric' || type === 'qr' || type === 'text' || type === 'inputless') return type;
  return 'unknown';
}

/** What the user must see to produce the token, per `token_generation_data.type` (seed 003). */
export function TokenChallenge({ data }: { data: TokenGenerationData | null | undefined }) {
  const { t } = useT();
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
