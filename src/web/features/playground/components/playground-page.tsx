import { useQuery } from '@tanstack/react-query';
import { Link as RouterLink } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { sandboxInstitutions } from '../../../../contract/institutions.ts';
import { externalIdPattern, institutionPattern, type Link } from '../../../../contract/links.ts';
import type { TokenRequiredError } from '../../../../contract/mfa.ts';
import { Button } from '../../../components/ui/button.tsx';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { useDeferredMessages, useT } from '../../../lib/i18n.ts';
import { metaQueries } from '../../../shared/meta/meta.ts';
import { challengeOf, isChallenge, useMfaFlow, type MfaTraceEntry } from '../../../shared/mfa/mfa-flow.ts';
import { useRegisterLink } from '../../../shared/links/mfa-mutations.ts';
import { presets, type Preset } from '../presets.ts';

interface RegisterForm {
  institution: string;
  username: string;
  password: string;
  access_mode: 'single' | 'recurrent';
  external_id: string;
}

type Result = { kind: 'created'; link: Link } | { kind: 'abandoned' } | { kind: 'error'; error: unknown } | null;

const field = 'w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm';

/**
 * QA's playground: register a link with a preset for each MFA scenario, go through the modal,
 * and read the exchange step by step (requests, 428s, PATCHes, request ids, timings). Passwords
 * and tokens appear only masked.
 */
export function PlaygroundPage() {
  useDeferredMessages();
  const { t } = useT();
  const { data: meta } = useQuery(metaQueries.meta());
  const mfa = useMfaFlow();
  const register = useRegisterLink();
  const formId = useId();
  const [form, setForm] = useState<RegisterForm>({ institution: 'heimdall_mx_retail', username: 'mfa_numeric', password: 'pass_valid', access_mode: 'recurrent', external_id: '' });
  const [trace, setTrace] = useState<MfaTraceEntry[]>([]);
  const [result, setResult] = useState<Result>(null);
  const [busy, setBusy] = useState(false);
  const [startedAt, setStartedAt] = useState(0);

  const institutionOk = institutionPattern.test(form.institution);
  const externalIdOk = form.external_id === '' || externalIdPattern.test(form.external_id);
  const valid = institutionOk && externalIdOk && form.username.trim() !== '';
  const append = (entry: MfaTraceEntry) => setTrace((current) => [...current, entry]);

  const applyPreset = (preset: Preset) => setForm((current) => ({ ...current, institution: preset.institution, username: preset.username, password: preset.password }));

  const registerOnce = async (): Promise<Link | TokenRequiredError> => {
    const body = {
      institution: form.institution,
      username: form.username.trim(),
      ...(form.password ? { password: form.password } : {}),
      access_mode: form.access_mode,
      ...(form.external_id ? { external_id: form.external_id } : {}),
    };
    const started = performance.now();
    const summary = `institution ${body.institution}, username ${body.username}, password ${'•'.repeat(8)}`;
    try {
      const { status, link } = await register.mutateAsync(body);
      append({ at: Date.now(), label: t('playground.traceRegister'), method: 'POST', path: '/api/links/', status, requestId: null, durationMs: performance.now() - started, summary: `${summary} → link ${link.id.slice(0, 8)} ${link.status}` });
      return link;
    } catch (caught) {
      const challenge = challengeOf(caught);
      append({
        at: Date.now(),
        label: t('playground.traceRegister'),
        method: 'POST',
        path: '/api/links/',
        status: isApiError(caught) ? caught.status : null,
        requestId: isApiError(caught) ? caught.requestId : null,
        durationMs: performance.now() - started,
        summary: challenge
          ? `${summary} → 428 ${challenge.token_generation_data?.type ?? '?'}, session ${challenge.session.slice(0, 8)}…, expiry ${String(challenge.expiry)}`
          : `${summary} → ${isApiError(caught) ? caught.code : 'error'}`,
      });
      if (challenge) return challenge;
      throw caught;
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setTrace([]);
    setResult(null);
    setStartedAt(Date.now());
    try {
      const first = await registerOnce();
      if (!isChallenge(first)) {
        setResult({ kind: 'created', link: first });
        return;
      }
      const outcome = await mfa.start({
        challenge: first,
        title: t('mfa.titleRegister', { institution: form.institution }),
        restart: async () => {
          const again = await registerOnce();
          return isChallenge(again) ? again : { link: again };
        },
        onExchange: append,
      });
      setResult(outcome.status === 'completed' && outcome.link ? { kind: 'created', link: outcome.link } : { kind: 'abandoned' });
    } catch (caught) {
      setResult({ kind: 'error', error: caught });
    } finally {
      setBusy(false);
    }
  };

  if (meta?.belvo_mode === 'production') {
    return <p className="rounded-md border border-red-300 bg-red-50 p-4">{t('playground.notInProduction')}</p>;
  }

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,26rem)_1fr]">
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold tracking-tight">{t('playground.title')}</h1>
        <p className="text-sm text-slate-600">{t(meta?.belvo_mode === 'sandbox' ? 'playground.introSandbox' : 'playground.introSimulator')}</p>
        <section aria-labelledby={`${formId}-presets`} className="space-y-2">
          <h2 id={`${formId}-presets`} className="text-sm font-semibold">
            {t('playground.presets')}
          </h2>
          <ul className="grid gap-1.5">
            {presets.map((preset) => (
              <li key={preset.id}>
                <button
                  type="button"
                  onClick={() => applyPreset(preset)}
                  aria-pressed={form.username === preset.username && form.institution === preset.institution}
                  className="w-full rounded-md border border-slate-200 bg-white px-3 py-2 text-left text-sm hover:bg-brand-50 aria-pressed:border-brand-500 aria-pressed:bg-brand-50"
                >
                  <span className="font-medium">{t(`playground.preset.${preset.id}`)}</span>
                  <span className="ml-2 font-mono text-xs text-slate-600">{preset.username}</span>
                  {meta?.belvo_mode === 'sandbox' && !preset.belvoSandbox ? <span className="ml-2 text-xs text-amber-700">{t('playground.simulatorOnly')}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <div className="space-y-4">
        <form onSubmit={(event) => void submit(event)} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" noValidate aria-labelledby={`${formId}-title`}>
          <h2 id={`${formId}-title`} className="font-semibold">
            {t('playground.register')}
          </h2>
          <div className="grid gap-3 sm:grid-cols-2">
            <label className="space-y-1 text-sm">
              <span className="block font-medium">{t('playground.institution')}</span>
              <input className={field} value={form.institution} list={`${formId}-institutions`} onChange={(event) => setForm({ ...form, institution: event.target.value.trim() })} aria-invalid={!institutionOk} />
              <datalist id={`${formId}-institutions`}>
                {sandboxInstitutions.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
              {!institutionOk ? <span className="block text-xs text-red-700">{t('filters.institutionInvalid')}</span> : null}
            </label>
            <label className="space-y-1 text-sm">
              <span className="block font-medium">{t('playground.username')}</span>
              <input className={field} value={form.username} onChange={(event) => setForm({ ...form, username: event.target.value })} autoComplete="off" />
            </label>
            <label className="space-y-1 text-sm">
              <span className="block font-medium">{t('playground.password')}</span>
              <input className={field} type="password" value={form.password} onChange={(event) => setForm({ ...form, password: event.target.value })} autoComplete="new-password" />
            </label>
            <label className="space-y-1 text-sm">
              <span className="block font-medium">{t('playground.accessMode')}</span>
              <select className={field} value={form.access_mode} onChange={(event) => setForm({ ...form, access_mode: event.target.value === 'single' ? 'single' : 'recurrent' })}>
                <option value="recurrent">{t('accessMode.recurrent')}</option>
                <option value="single">{t('accessMode.single')}</option>
              </select>
            </label>
            <label className="space-y-1 text-sm sm:col-span-2">
              <span className="block font-medium">{t('playground.externalId')}</span>
              <input className={field} value={form.external_id} onChange={(event) => setForm({ ...form, external_id: event.target.value.trim() })} aria-invalid={!externalIdOk} />
              <span className={externalIdOk ? 'block text-xs text-slate-600' : 'block text-xs text-red-700'}>{externalIdOk ? t('playground.externalIdRule') : t('filters.externalIdInvalid')}</span>
            </label>
          </div>
          <Button type="submit" variant="primary" disabled={!valid || busy} aria-busy={busy}>
            {busy ? t('playground.registering') : t('playground.registerButton')}
          </Button>
        </form>

        {result?.kind === 'created' ? (
          <div role="status" className="rounded-md border border-green-300 bg-green-50 p-4 text-green-950">
            <p className="font-medium">{t('playground.created', { status: result.link.status })}</p>
            <p className="mt-1 flex items-center gap-1 font-mono text-sm">
              {result.link.id}
              <CopyButton value={result.link.id} label={t('detail.field.id')} />
            </p>
            <RouterLink to="/links/$linkId" params={{ linkId: result.link.id }} className="mt-2 inline-block text-brand-700 underline">
              {t('playground.openLink')}
            </RouterLink>
          </div>
        ) : null}
        {result?.kind === 'abandoned' ? <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">{t('playground.abandoned')}</p> : null}
        {result?.kind === 'error' ? <ErrorPanel title={t('playground.failed')} error={result.error} /> : null}

        <section aria-labelledby={`${formId}-trace`} className="rounded-lg border border-slate-200 bg-white">
          <h2 id={`${formId}-trace`} className="border-b border-slate-200 px-4 py-2 text-sm font-semibold">
            {t('playground.trace')}
          </h2>
          {trace.length === 0 ? (
            <p className="p-4 text-sm text-slate-500">{t('playground.traceEmpty')}</p>
          ) : (
            <ol className="divide-y divide-slate-100 text-sm">
              {trace.map((entry, index) => (
                <li key={index} className="grid gap-1 px-4 py-2 sm:grid-cols-[5rem_1fr]">
                  <span className="font-mono text-xs text-slate-500">+{((entry.at - startedAt) / 1000).toFixed(2)} s</span>
                  <span>
                    <span className="font-medium">{entry.label}</span>{' '}
                    <code className="font-mono text-xs">
                      {entry.method} {entry.path} → {entry.status ?? '—'}
                    </code>{' '}
                    <span className="text-xs text-slate-500">{t('playground.took', { ms: Math.round(entry.durationMs) })}</span>
                    <span className="block font-mono text-xs text-slate-700">{entry.summary}</span>
                    {entry.requestId ? <span className="block font-mono text-xs text-slate-500">request_id {entry.requestId}</span> : null}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}
