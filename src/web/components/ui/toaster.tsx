import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { cn } from './cn.ts';

interface Toast {
  id: number;
  tone: 'success' | 'info' | 'error';
  message: ReactNode;
}

const ToastContext = createContext<(toast: Omit<Toast, 'id'>) => void>(() => {});

/** Short confirmations ("Link deleted"), announced politely to screen readers, gone after a few seconds. */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((toast: Omit<Toast, 'id'>) => {
    const id = Date.now() + Math.random();
    setToasts((current) => [...current.slice(-3), { ...toast, id }]);
    setTimeout(() => setToasts((current) => current.filter((candidate) => candidate.id !== id)), 6_000);
  }, []);
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div role="status" aria-live="polite" className="pointer-events-none fixed bottom-4 right-4 z-50 flex w-96 max-w-[90vw] flex-col gap-2">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={cn(
              'pointer-events-auto rounded-md border px-4 py-3 text-sm shadow-lg',
              toast.tone === 'success' && 'border-green-300 bg-green-50 text-green-950',
              toast.tone === 'info' && 'border-sky-300 bg-sky-50 text-sky-950',
              toast.tone === 'error' && 'border-red-300 bg-red-50 text-red-950',
            )}
          >
            {toast.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
