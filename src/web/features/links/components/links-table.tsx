import { Link as RouterLink, useNavigate } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { useMemo, type MouseEvent, type ReactNode } from 'react';
import { useT } from '../../../lib/i18n.ts';
import type { Link } from '../../../../contract/links.ts';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { Tooltip } from '../../../components/ui/tooltip.tsx';
import { cn } from '../../../components/ui/cn.ts';
import { Table, TableFrame, TableHead, Td, Th, Tr } from '../../../components/ui/table.tsx';
import { SpacerRow, useVirtualRows } from '../../../components/ui/virtual-rows.tsx';
import { formatDate, formatDateTime, shortId } from '../../../lib/format.ts';
import { LinkActions } from '../../../shared/links/components/link-actions.tsx';
import { operationsQueries } from '../../../shared/links/queries.ts';
import { StatusBadge } from '../../../shared/links/components/status-badge.tsx';
import { rowHeight } from './links-table-skeleton.tsx';

/** Columns the index can sort by; their ids are the index's sort keys. */
export type SortableColumn = 'created_at' | 'last_accessed_at' | 'institution' | 'status';
const sortableColumns: readonly string[] = ['created_at', 'last_accessed_at', 'institution', 'status'] satisfies SortableColumn[];
export interface TableSort {
  by: SortableColumn;
  order: 'asc' | 'desc';
  onSort(by: SortableColumn): void;
}
/** Rows chosen for a bulk job (features/links/use-link-selection.ts); only people who may act get it. */
export interface RowSelection {
  selected(id: string): boolean;
  page: 'all' | 'some' | 'none';
  /** `range`: a shift-click, from the last row toggled to this one. */
  toggle(id: string, range: boolean): void;
  togglePage(): void;
}
interface Column {
  id: string;
  header: string;
  cell(link: Link): ReactNode;
  /** Which screens show the column: a phone keeps the id, the status and the actions. */
  className?: string;
}

/** A click on a row's own controls, or the end of a text selection, is not a click on the row. */
function isRowClick(event: MouseEvent<HTMLTableRowElement>): boolean {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.defaultPrevented) return false;
  // React bubbles events from portals along its own tree: a click in a dialog opened from this row
  // reaches the row's handler although the dialog is elsewhere in the DOM.
  if (!event.currentTarget.contains(event.target as Node)) return false;
  const control = (event.target as HTMLElement).closest('a,button,input,select,textarea,label,[tabindex]');
  if (control && event.currentTarget.contains(control)) return false;
  return !window.getSelection()?.toString();
}

/**
 * The links of one page. Rows are virtualised (TanStack Virtual) so a 1000-link page renders a
 * screenful of rows, not a thousand; spacer rows keep a real <table> for screen readers, with
 * aria-rowcount/aria-rowindex telling them the true size.
 */
export function LinksTable({ links, busy, sort, selection }: { links: Link[]; busy: boolean; sort?: TableSort; selection?: RowSelection }) {
  const { t, locale } = useT();
  const navigate = useNavigate();
  const { data: operations } = useQuery(operationsQueries.state());
  const clockOffsetMs = operations?.clockOffsetMs ?? 0;
  const columns = useMemo<Column[]>(
    () => [
      {
        id: 'id',
        header: t('links.columns.id'),
        cell: (link) => (
          <span className="inline-flex items-center gap-0.5 font-mono text-xs">
            <RouterLink
              to="/links/$linkId"
              params={{ linkId: link.id }}
              aria-label={t('links.openLink', { id: link.id })}
              className="text-brand-700 underline-offset-2 hover:underline"
            >
              {shortId(link.id)}
            </RouterLink>
            <span className="hidden sm:contents">
              <CopyButton value={link.id} label={t('links.columns.id')} />
            </span>
          </span>
        ),
      },
      {
        id: 'institution',
        className: 'hidden md:table-cell',
        header: t('links.columns.institution'),
        cell: (link) => <span className="font-mono text-xs">{link.institution}</span>,
      },
      {
        id: 'external_id',
        className: 'hidden sm:table-cell',
        header: t('links.columns.externalId'),
        cell: (link) =>
          link.external_id === null ? (
            <Tooltip content={t('links.orphanHint')}>
              <span tabIndex={0} className="inline-flex cursor-help items-center rounded border border-dashed border-amber-500 px-1.5 text-xs text-amber-900">
                {t('links.orphan')}
              </span>
            </Tooltip>
          ) : (
            <span className="font-mono text-xs">{link.external_id}</span>
          ),
      },
      { id: 'status', header: t('links.columns.status'), cell: (link) => <StatusBadge status={link.status} /> },
      { id: 'access_mode', className: 'hidden lg:table-cell', header: t('links.columns.accessMode'), cell: (link) => t(`accessMode.${link.access_mode ?? 'none'}`) },
      {
        id: 'refresh_rate',
        className: 'hidden lg:table-cell',
        header: t('links.columns.refreshRate'),
        cell: (link) =>
          link.refresh_rate ? (
            <abbr title={t(`refreshRate.${link.refresh_rate}`)} className="no-underline">
              {link.refresh_rate}
            </abbr>
          ) : (
            <span className="text-slate-600" title={t('refreshRate.none')}>
              —
            </span>
          ),
      },
      {
        id: 'last_accessed_at',
        className: 'hidden md:table-cell',
        header: t('links.columns.lastAccessed'),
        cell: (link) => <RelativeTime iso={link.last_accessed_at} fallback={t('links.never')} clockOffsetMs={clockOffsetMs} />,
      },
      {
        id: 'created_at',
        className: 'hidden lg:table-cell',
        header: t('links.columns.created'),
        cell: (link) => (
          // The day is enough to scan a list (and keeps the table inside 1280 px in every language);
          // the time is on the link's page and in the title.
          <time dateTime={link.created_at} title={formatDateTime(Date.parse(link.created_at), locale)} className="whitespace-nowrap text-slate-600">
            {formatDate(Date.parse(link.created_at), locale)}
          </time>
        ),
      },
      { id: 'actions', header: t('links.columns.actions'), cell: (link) => <LinkActions link={link} /> },
    ],
    [t, locale, clockOffsetMs],
  );

  const { scrollRef, rows: items, paddingTop, paddingBottom } = useVirtualRows({ count: links.length, rowHeight });
  const span = columns.length + (selection ? 1 : 0);

  return (
    <TableFrame ref={scrollRef} className={cn('relative max-h-[70vh] min-h-40', busy && 'opacity-70')} aria-busy={busy} tabIndex={-1}>
      <Table aria-rowcount={links.length + 1}>
        <TableHead sticky>
          <tr aria-rowindex={1}>
            {selection ? (
              // No right padding: the box needs none, and the column must not push the table wider.
              <Th className="w-8 pr-0!">
                <input
                  type="checkbox"
                  aria-label={t('links.select.page')}
                  checked={selection.page === 'all'}
                  ref={(box) => {
                    if (box) box.indeterminate = selection.page === 'some';
                  }}
                  onChange={selection.togglePage}
                />
              </Th>
            ) : null}
            {columns.map((column) =>
              sort && sortableColumns.includes(column.id) ? (
                <SortableHeader key={column.id} column={column.id as SortableColumn} header={column.header} sort={sort} className={column.className} />
              ) : (
                <Th key={column.id} className={column.className}>
                  {column.header}
                </Th>
              ),
            )}
          </tr>
        </TableHead>
        <tbody>
          <SpacerRow height={paddingTop} colSpan={span} />
          {items.map((item) => {
            const link = links[item.index];
            if (!link) return null;
            return (
              <Tr
                key={link.id}
                aria-rowindex={item.index + 2}
                style={{ height: rowHeight }}
                className="cursor-pointer hover:bg-brand-50"
                // The id's link stays the keyboard path; the row click is a pointer shortcut to it.
                onClick={(event) => {
                  if (isRowClick(event)) void navigate({ to: '/links/$linkId', params: { linkId: link.id } });
                }}
              >
                {selection ? (
                  <Td className="pr-0!">
                    <input
                      type="checkbox"
                      aria-label={t('links.select.row', { id: link.external_id ?? link.id })}
                      checked={selection.selected(link.id)}
                      onChange={(event) => selection.toggle(link.id, (event.nativeEvent as { shiftKey?: boolean }).shiftKey === true)}
                    />
                  </Td>
                ) : null}
                {columns.map((column) => (
                  <Td key={column.id} className={cn('whitespace-nowrap', column.className)}>
                    {column.cell(link)}
                  </Td>
                ))}
              </Tr>
            );
          })}
          <SpacerRow height={paddingBottom} colSpan={span} />
        </tbody>
      </Table>
    </TableFrame>
  );
}

/** A column header that sorts (WAI-ARIA sortable table: aria-sort on the header, a button inside). */
function SortableHeader({ column, header, sort, className }: { column: SortableColumn; header: string; sort: TableSort; className?: string }) {
  const active = sort.by === column;
  const direction = active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <Th aria-sort={direction} className={cn('px-1.5 py-1', className)}>
      <button
        type="button"
        onClick={() => sort.onSort(column)}
        className={cn('inline-flex items-center gap-1 rounded px-1.5 py-1 uppercase tracking-wide hover:bg-slate-200', active && 'text-slate-900')}
      >
        {header}
        <span aria-hidden="true" className={cn('text-[10px]', !active && 'text-slate-500')}>
          {active ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </Th>
  );
}
