import { hashKey, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { MfaFlowContext, type MfaFlowOptions, type MfaOutcome } from '../../../shared/mfa/mfa-flow.ts';
import { sessionQueries } from '../../../shared/session/session.ts';

const MfaModal = lazy(() => import('./mfa-modal.tsx').then((module) => ({ default: module.MfaModal })));

/** Holds the one active MFA flow; the modal (and the QR library) load only when a 428 arrives. */
export function MfaFlowProvider({ children }: { children: ReactNode }) {
  const [active, setActive] = useState<{ options: MfaFlowOptions; key: number } | null>(null);
  const resolver = useRef<((outcome: MfaOutcome) => void) | null>(null);

  const start = useCallback((options: MfaFlowOptions) => {
    resolver.current?.({ status: 'abandoned' });
    return new Promise<MfaOutcome>((resolve) => {
      resolver.current = resolve;
      setActive({ options, key: Date.now() });
    });
  }, []);
  const finish = useCallback((outcome: MfaOutcome) => {
    resolver.current?.(outcome);
    resolver.current = null;
    setActive(null);
  }, []);
  const flow = useMemo(() => ({ start }), [start]);

  // A staff session that ends mid-flow (idle, signed out elsewhere) ends the flow too: the app is
  // on its way to sign-in, and nobody should find a token prompt there.
  const queryClient = useQueryClient();
  const flowOpen = active !== null;
  useEffect(() => {
    if (!flowOpen) return;
    const sessionHash = hashKey(sessionQueries.current().queryKey);
    return queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.query.queryHash === sessionHash && event.query.state.data === null) finish({ status: 'abandoned' });
    });
  }, [flowOpen, queryClient, finish]);

  return (
    <MfaFlowContext.Provider value={flow}>
      {children}
      {active ? (
        <Suspense fallback={null}>
          <MfaModal key={active.key} options={active.options} onFinish={finish} />
        </Suspense>
      ) : null}
    </MfaFlowContext.Provider>
  );
}
