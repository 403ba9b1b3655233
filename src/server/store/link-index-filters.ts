import { sql, type RawBuilder } from 'kysely';
import type { IndexLinksQuery, IndexSort, SortOrder, StaleKind } from '../../contract/bff/link-index.ts';
import type { RefreshRate } from '../../contract/links.ts';

/**
 * The link index's filters and sorts as SQL: the conditions of `GET /bff/index/links` (search,
 * staleness, dates, the planner hints SQLite needs), bound as parameters, and the ORDER BY of each
 * sort. The store (link-index.ts) runs them.
 */
export interface StaleThresholds {
  refreshRateFactor: number;
  brokenDays: number;
}

export const refreshPeriodMs: Record<RefreshRate, number> = {
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

const dayMs = 86_400_000;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
/** Sorts after any character an id or external_id can hold, for prefix ranges that use the index. */
const prefixEnd = '\u{10FFFF}';

const sortColumns: Record<IndexSort, string[]> = {
  created_at: ['created_ms'],
  last_accessed_at: ['last_accessed_ms'],
  institution: ['institution', 'created_ms'],
  status: ['status', 'created_ms'],
};

export const rowColumns = sql.raw(
  'id, institution, status, access_mode, refresh_rate, external_id, institution_user_id, created_by, created_at, last_accessed_at, duplicates',
);

export type IndexFilter = Omit<IndexLinksQuery, 'sort' | 'order' | 'page' | 'page_size'>;

/** A condition, its values bound as parameters. */
type Where = RawBuilder<unknown>;

const and = (parts: Where[]) => sql`${sql.join(parts, sql` AND `)}`;
const or = (parts: Where[]) => sql`(${sql.join(parts, sql` OR `)})`;

/** The search box: every reading of `q` that applies, OR'ed. */
function searchClause(q: string): Where {
  const parts: Where[] = [];
  const lower = q.toLowerCase();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower)) {
    parts.push(sql`id = ${lower}`);
  } else if (/^[0-9a-f][0-9a-f-]{7,35}$/.test(lower)) {
    parts.push(sql`(id >= ${lower} AND id < ${lower + prefixEnd})`);
  }
  parts.push(sql`(external_id >= ${q} AND external_id < ${q + prefixEnd})`);
  parts.push(sql`institution_user_id = ${q}`);
  return or(parts);
}

function instant(value: string, end: boolean): number {
  if (dateOnly.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return end ? start + dayMs : start;
  }
  // A timestamp bound is inclusive; created_ms has millisecond precision.
  return Date.parse(value) + (end ? 1 : 0);
}

export function staleClause(kind: StaleKind, now: number, thresholds: StaleThresholds): Where {
  // One branch per refresh rate, each a range on index_links_stale_access (never accessed = 0, so
  // "not accessed since T" is last_accessed_ms < T, and a link created after T is not stale yet).
  const notAccessed = or(
    Object.entries(refreshPeriodMs).map(([rate, period]) => {
      const since = now - period * thresholds.refreshRateFactor;
      return sql`(status = 'valid' AND refresh_rate = ${rate} AND last_accessed_ms < ${since} AND created_ms < ${since})`;
    }),
  );
  const broken = sql`(status IN ('invalid', 'token_required') AND status_since_ms < ${now - thresholds.brokenDays * dayMs})`;
  if (kind === 'not_accessed') return notAccessed;
  if (kind === 'broken') return broken;
  return or([notAccessed, broken]);
}

/**
 * Broad filters (a few values, each a large share of the links) that a sort has no composite index
 * with. Written `+column`, they cannot pick an index, so SQLite walks the sort's own index and stops
 * after the page instead of sorting every match (at 100,000 links, refresh_rate=24h sorted by last
 * access, page 20: ~14 ms). Selective filters (institution) still use their index. SQLite only:
 * PostgreSQL has no such hint (and `+text` is an error there); its planner weighs the LIMIT itself.
 */
const walkSortIndex: Record<IndexSort, ReadonlySet<string>> = {
  created_at: new Set(),
  last_accessed_at: new Set(['refresh_rate']),
  institution: new Set(['status', 'access_mode', 'refresh_rate']),
  status: new Set(),
};

export interface WhereOptions {
  now: number;
  thresholds: StaleThresholds;
  skipStatus?: boolean;
  sort?: IndexSort;
  /** SQLite's `+column` planner hints (see walkSortIndex). */
  hints: boolean;
}

export const whereSql = (parts: Where[]) => (parts.length > 0 ? sql`WHERE ${and(parts)}` : sql``);

export function whereOf(filter: IndexFilter, options: WhereOptions): RawBuilder<unknown> {
  return whereSql(conditionsOf(filter, options));
}

export function conditionsOf(filter: IndexFilter, options: WhereOptions): Where[] {
  const column = (name: string) => (options.hints && options.sort && walkSortIndex[options.sort].has(name) ? sql.raw(`+${name}`) : sql.raw(name));
  const parts: Where[] = [];
  if (filter.q !== undefined) parts.push(searchClause(filter.q));
  if (filter.status !== undefined && !options.skipStatus) parts.push(sql`${column('status')} = ${filter.status}`);
  if (filter.institution !== undefined) parts.push(sql`institution = ${filter.institution}`);
  if (filter.access_mode !== undefined) parts.push(sql`${column('access_mode')} = ${filter.access_mode}`);
  if (filter.refresh_rate !== undefined) parts.push(sql`${column('refresh_rate')} = ${filter.refresh_rate}`);
  if (filter.orphan !== undefined) parts.push(filter.orphan ? sql`external_id IS NULL` : sql`external_id IS NOT NULL`);
  if (filter.duplicate !== undefined) parts.push(filter.duplicate ? sql`duplicates > 0` : sql`duplicates = 0`);
  if (filter.stale !== undefined) parts.push(staleClause(filter.stale, options.now, options.thresholds));
  if (filter.created_from !== undefined) parts.push(sql`created_ms >= ${instant(filter.created_from, false)}`);
  if (filter.created_to !== undefined) parts.push(sql`created_ms < ${instant(filter.created_to, true)}`);
  return parts;
}

export function orderBy(sort: IndexSort, order: SortOrder): { columns: string[]; sql: RawBuilder<unknown> } {
  const columns = [...sortColumns[sort], 'id'];
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  return { columns, sql: sql.raw(`ORDER BY ${columns.map((column) => `${column} ${direction}`).join(', ')}`) };
}

