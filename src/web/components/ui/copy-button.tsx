import { useEffect, useRef, useState } from 'react';
import { useT } from '../../lib/i18n.ts';
import { cn } from './cn.ts';

/** Copies a value; says "Copied" (to screen readers too) or tells the user to copy by hand. */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const { t } = useT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };

  return (
    <span className="inline-flex items-center">
      <button
        type="button"
        onClick={copy}
        aria-label={t('copy.copyValue', { what: label })}
        className={cn(
          'rounded p-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900',
          state === 'copied' && 'text-green-700',
          className,
        )}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3.5 w-3.5" fill="currentColor">
          {state === 'copied' ? (
            <path d="M7.6 13.2 4.4 10l-1.1 1.1 4.3 4.3 9-9-1.1-1.1z" />
          ) : (
            <path d="M6 2h9a1 1 0 0 1 1 1v11h-2V4H6zM3 6h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm1 2v8h7V8z" />
          )}
        </svg>
      </button>
      <span role="status" className={state === 'failed' ? 'ml-1 text-xs text-red-700' : 'sr-only'}>
        {state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : ''}
      </span>
    </span>
  );
}
