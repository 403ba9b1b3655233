import type { ComponentPropsWithRef } from 'react';
import { cn } from './cn.ts';

/**
 * The pieces of Linkdesk's hand-styled tables (links, audit, users): a plain `<table>` (no
 * table library, see docs/decisions.md) in a bordered frame that scrolls, a grey header that can
 * stick while the body scrolls, and rows divided by a hairline. Each takes the element's own
 * props; `className` adds to the shared look. Header labels wrap between words, so a long
 * translation ("Frequência de atualização") takes two lines instead of pushing the table wider.
 */
export function TableFrame({ className, ...props }: ComponentPropsWithRef<'div'>) {
  return <div className={cn('overflow-auto rounded-lg border border-slate-200 bg-white', className)} {...props} />;
}

export function Table({ className, ...props }: ComponentPropsWithRef<'table'>) {
  return <table className={cn('w-full border-collapse text-left text-sm', className)} {...props} />;
}

export function TableHead({ sticky = false, className, ...props }: ComponentPropsWithRef<'thead'> & { sticky?: boolean }) {
  return <thead className={cn('bg-slate-100 text-xs uppercase tracking-wide text-slate-600', sticky && 'sticky top-0 z-10', className)} {...props} />;
}

export function Th({ className, ...props }: ComponentPropsWithRef<'th'>) {
  return <th scope="col" className={cn('px-2 py-2 align-bottom font-semibold sm:px-2.5', className)} {...props} />;
}

export function Tr({ className, ...props }: ComponentPropsWithRef<'tr'>) {
  return <tr className={cn('border-t border-slate-100', className)} {...props} />;
}

export function Td({ className, ...props }: ComponentPropsWithRef<'td'>) {
  return <td className={cn('px-2 py-1.5 sm:px-2.5', className)} {...props} />;
}
