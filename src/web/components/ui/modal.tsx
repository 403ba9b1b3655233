import * as AlertDialog from '@radix-ui/react-alert-dialog';
import * as Dialog from '@radix-ui/react-dialog';
import { useState, type ReactNode } from 'react';
import { cn } from './cn.ts';

const focusable = 'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), [tabindex="0"]';

/**
 * Where focus goes when the dialog closes. Our dialogs open from buttons that are not Radix
 * triggers (they are lazy, so the trigger lives outside them), and Radix then drops focus on
 * <body>. The opener is remembered when the dialog mounts; if it is gone or disabled by then (a
 * Refresh that became a countdown, a link being deleted), focus goes to the first control of its
 * nearest `data-focus-home` (the link's actions), else to the main landmark.
 */
function useReturnFocus() {
  const [opener] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  const [home] = useState(() => opener?.closest<HTMLElement>('[data-focus-home]') ?? null);
  return (event: Event) => {
    event.preventDefault();
    const usable = (element: HTMLElement | null | undefined): element is HTMLElement =>
      Boolean(element?.isConnected && element !== document.body && !element.matches(':disabled'));
    const target = [opener, home?.querySelector<HTMLElement>(focusable), document.getElementById('main')].find(usable);
    target?.focus();
  };
}

const overlay = 'fixed inset-0 z-40 bg-slate-900/50';
const panelBase = 'fixed left-1/2 top-1/2 z-50 max-h-[90vh] -translate-x-1/2 -translate-y-1/2 overflow-auto rounded-lg bg-white p-6 shadow-xl focus:outline-none';
const panel = `${panelBase} w-[min(36rem,94vw)]`;

/**
 * Dialogs from Radix: focus trapped inside and returned to the trigger, Escape and outside
 * clicks handled, title and description wired for screen readers. Imported only by lazily loaded
 * dialog modules, so none of it ships with the first screen.
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  onEscapeKeyDown,
  className,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  onEscapeKeyDown?(event: KeyboardEvent): void;
  className?: string;
}) {
  const returnFocus = useReturnFocus();
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className={overlay} />
        <Dialog.Content className={cn(panel, className)} onEscapeKeyDown={onEscapeKeyDown} onCloseAutoFocus={returnFocus}>
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          {description ? <Dialog.Description className="mt-1 text-sm text-slate-600">{description}</Dialog.Description> : <Dialog.Description className="sr-only">{title}</Dialog.Description>}
          <div className="mt-4">{children}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** A confirmation for something that cannot be undone: no outside-click dismissal, Cancel focused first. */
export function ConfirmModal({
  open,
  onOpenChange,
  title,
  description,
  children,
  wide = false,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: ReactNode;
  description: ReactNode;
  children: ReactNode;
  /** Room for a table (a bulk job's preview). */
  wide?: boolean;
}) {
  const returnFocus = useReturnFocus();
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlay} />
        <AlertDialog.Content className={wide ? `${panelBase} w-[min(48rem,94vw)]` : panel} onCloseAutoFocus={returnFocus}>
          <AlertDialog.Title className="text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-slate-700">{description}</div>
          </AlertDialog.Description>
          <div className="mt-4">{children}</div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

export const ConfirmCancel = AlertDialog.Cancel;
export const ModalClose = Dialog.Close;
