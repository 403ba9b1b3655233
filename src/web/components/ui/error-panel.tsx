import type { ReactNode } from 'react';
import { useT } from '../../lib/i18n.ts';
import { isApiError } from '../../lib/api-client.ts';
import { Button } from './button.tsx';
import { CopyButton } from './copy-button.tsx';
import { cn } from './cn.ts';

/**
 * What went wrong, in Belvo's (or Linkdesk's) words, what to do, and the request_id with a copy
 * button so support can find the request.
 */
export function ErrorPanel({
  title,
  error,
  onRetry,
  children,
  compact = false,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
  compact?: boolean;
}) {
  const { t } = useT();
  const apiError = isApiError(error) ? error : null;
  const items = apiError?.errors ?? [{ code: 'error', message: error instanceof Error ? error.message : t('errors.generic') }];
  const requestId = apiError?.requestId;
  return (
    <div role="alert" className={cn('rounded-md border border-red-200 bg-red-50 text-red-900', compact ? 'p-3 text-sm' : 'p-4')}>
      <p className="font-semibold">{title}</p>
      <ul className="mt-1 space-y-1">
        {items.map((item, index) => (
          <li key={`${item.code}-${index}`}>
            {item.message}
            {item.field ? <span className="ml-1 text-red-700">({t('errors.field', { field: item.field })})</span> : null}
          </li>
        ))}
      </ul>
      {requestId ? (
        <p className="mt-2 flex items-center gap-1 text-xs text-red-800">
          {t('errors.requestId')}: <code className="font-mono">{requestId}</code>
          <CopyButton value={requestId} label={t('errors.requestId')} />
        </p>
      ) : null}
      {children}
      {onRetry ? (
        <Button className="mt-3" onClick={onRetry}>
          {t('errors.retry')}
        </Button>
      ) : null}
    </div>
  );
}
