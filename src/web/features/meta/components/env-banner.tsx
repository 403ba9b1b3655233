import { useQuery } from '@tanstack/react-query';
import { useT } from '../../../lib/i18n.ts';
import { metaQueries } from '../../../shared/meta/meta.ts';

const styles = {
  simulator: 'bg-amber-100 text-amber-950 border-amber-300',
  sandbox: 'bg-sky-100 text-sky-950 border-sky-300',
  production: 'bg-red-100 text-red-950 border-red-300',
} as const;

/** Says, on every screen, which Belvo this console is talking to. */
export function EnvBanner() {
  const { t } = useT();
  const { data: meta } = useQuery(metaQueries.meta());
  if (!meta) return null;
  const mode = meta.belvo_mode;
  const host = meta.belvo_host ?? '';
  return (
    <div role="note" aria-label={t(`env.${mode}`)} className={`border-b px-4 py-1.5 text-sm ${styles[mode]}`}>
      <strong className="font-semibold">{t(`env.${mode}`)}</strong>
      <span className="ml-2">{t(mode === 'simulator' ? 'env.simulatorHint' : mode === 'sandbox' ? 'env.sandboxHint' : 'env.productionHint', { host })}</span>
    </div>
  );
}
