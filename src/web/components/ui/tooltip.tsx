import {
  cloneElement,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type FocusEvent,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
  type Ref,
} from 'react';

const supportsPopover = typeof HTMLElement !== 'undefined' && typeof HTMLElement.prototype.showPopover === 'function';
const gap = 8;

interface TriggerProps {
  'aria-describedby'?: string;
  onMouseEnter?(event: MouseEvent): void;
  onMouseLeave?(event: MouseEvent): void;
  onFocus?(event: FocusEvent): void;
  onBlur?(event: FocusEvent): void;
  ref?: Ref<HTMLElement>;
}

/**
 * A hint shown on hover and keyboard focus (WAI-ARIA tooltip pattern; WCAG 1.4.13: it can be
 * hovered, stays while hovered or focused, and Escape dismisses it). The text is always the
 * trigger's accessible description, so screen readers get it without opening anything.
 *
 * Built on the platform's popover (top layer, never clipped by the table's scroll box) rather than
 * a library: Radix Tooltip plus Floating UI cost ~18 KiB gzip of a 150 KiB first-screen budget.
 */
export function Tooltip({ content, children }: { content: ReactNode; children: ReactElement<TriggerProps> }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const triggerRef = useRef<HTMLElement | null>(null);
  const tipRef = useRef<HTMLDivElement | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const schedule = useCallback((next: boolean, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setOpen(next), delay);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  useLayoutEffect(() => {
    const tip = tipRef.current;
    const trigger = triggerRef.current;
    if (!open || !tip || !trigger) return;
    if (supportsPopover && !tip.matches(':popover-open')) tip.showPopover();
    const anchor = trigger.getBoundingClientRect();
    const box = tip.getBoundingClientRect();
    const above = anchor.top - box.height - gap;
    const top = above >= 4 ? above : anchor.bottom + gap;
    const left = Math.min(Math.max(4, anchor.left + anchor.width / 2 - box.width / 2), window.innerWidth - box.width - 4);
    tip.style.top = `${top}px`;
    tip.style.left = `${left}px`;

    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const close = () => setOpen(false);
    document.addEventListener('keydown', onKey);
    window.addEventListener('scroll', close, true);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('scroll', close, true);
      window.removeEventListener('resize', close);
      if (supportsPopover && tip.matches(':popover-open')) tip.hidePopover();
    };
  }, [open]);

  const setTrigger = useCallback((node: HTMLElement | null) => {
    triggerRef.current = node;
  }, []);
  // cloneElement only attaches these handlers; none of them reads a ref during render.
  // eslint-disable-next-line react-hooks/refs
  const trigger = cloneElement(children, {
    'aria-describedby': id,
    ref: setTrigger,
    onMouseEnter: () => schedule(true, 300),
    onMouseLeave: () => schedule(false, 120),
    onFocus: () => schedule(true, 0),
    onBlur: () => schedule(false, 0),
  });

  return (
    <>
      {trigger}
      <div
        id={id}
        ref={tipRef}
        role="tooltip"
        {...(supportsPopover ? { popover: 'manual' as const } : { hidden: !open })}
        onMouseEnter={() => clearTimeout(timer.current)}
        onMouseLeave={() => schedule(false, 120)}
        className="fixed m-0 max-w-xs rounded-md border-0 bg-slate-900 px-3 py-2 text-left text-xs font-normal normal-case leading-relaxed tracking-normal text-white shadow-lg"
      >
        {content}
      </div>
    </>
  );
}
