import type { IndexLinksQuery, IndexSort, SortOrder, StaleKind } from '../../contract/bff/link-index.ts';
import { linkStatuses, type Link, type LinkStatus, type RefreshRate } from '../../contract/links.ts';
import type { Db } from './database.ts';

/**
 * The link index's SQL: one row per Belvo link (its last-seen body plus the columns every filter
 * and sort reads), a key/value table for the sync's state, and one row of counts per day.
 */
export interface IndexRow {
  id: string;
  institution: string;
  status: LinkStatus;
  access_mode: string | null;
  refresh_rate: RefreshRate | null;
  external_id: string | null;
  institution_user_id: string | null;
  created_by: string | null;
  created_at: string;
  last_accessed_at: string | null;
  duplicates: number;
}

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

const rowColumns =
  'id, institution, status, access_mode, refresh_rate, external_id, institution_user_id, created_by, created_at, last_accessed_at, duplicates';

export type IndexFilter = Omit<IndexLinksQuery, 'sort' | 'order' | 'page' | 'page_size'>;

interface Where {
  sql: string;
  params: unknown[];
}

/** The search box: every reading of `q` that applies, OR'ed. */
function searchClause(q: string): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  const lower = q.toLowerCase();
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower)) {
    parts.push('id = ?');
    params.push(lower);
  } else if (/^[0-9a-f][0-9a-f-]{7,35}$/.test(lower)) {
    parts.push('(id >= ? AND id < ?)');
    params.push(lower, lower + prefixEnd);
  }
  parts.push('(external_id >= ? AND external_id < ?)');
  params.push(q, q + prefixEnd);
  parts.push('institution_user_id = ?');
  params.push(q);
  return { sql: `(${parts.join(' OR ')})`, params };
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
  const notAccessed = {
    sql: `(${Object.keys(refreshPeriodMs)
      .map(() => `(status = 'valid' AND refresh_rate = ? AND last_accessed_ms < ? AND created_ms < ?)`)
      .join(' OR ')})`,
    params: Object.entries(refreshPeriodMs).flatMap(([rate, period]) => {
      const since = now - period * thresholds.refreshRateFactor;
      return [rate, since, since];
    }),
  };
  const broken = {
    sql: `(status IN ('invalid', 'token_required') AND status_since_ms < ?)`,
    params: [now - thresholds.brokenDays * dayMs],
  };
  if (kind === 'not_accessed') return notAccessed;
  if (kind === 'broken') return broken;
  return { sql: `(${notAccessed.sql} OR ${broken.sql})`, params: [...notAccessed.params, ...broken.params] };
}

/**
 * Broad filters (a few values, each a large share of the links) that a sort has no composite index
 * with. Written `+column`, they cannot pick an index, so SQLite walks the sort's own index and stops
 * after the page instead of sorting every match (at 100,000 links, refresh_rate=24h sorted by last
 * access, page 20: ~14 ms). Selective filters (institution) still use their index.
 */
const walkSortIndex: Record<IndexSort, ReadonlySet<string>> = {
  created_at: new Set(),
  last_accessed_at: new Set(['refresh_rate']),
  institution: new Set(['status', 'access_mode', 'refresh_rate']),
  status: new Set(),
};

function whereOf(filter: IndexFilter, options: { now: number; thresholds: StaleThresholds; skipStatus?: boolean; sort?: IndexSort }): Where {
  const column = (name: string) => (options.sort && walkSortIndex[options.sort].has(name) ? `+${name}` : name);
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (where: Where) => {
    parts.push(where.sql);
    params.push(...where.params);
  };
  if (filter.q !== undefined) add(searchClause(filter.q));
  if (filter.status !== undefined && !options.skipStatus) add({ sql: `${column('status')} = ?`, params: [filter.status] });
  if (filter.institution !== undefined) add({ sql: 'institution = ?', params: [filter.institution] });
  if (filter.access_mode !== undefined) add({ sql: `${column('access_mode')} = ?`, params: [filter.access_mode] });
  if (filter.refresh_rate !== undefined) add({ sql: `${column('refresh_rate')} = ?`, params: [filter.refresh_rate] });
  if (filter.orphan !== undefined) add({ sql: filter.orphan ? 'external_id IS NULL' : 'external_id IS NOT NULL', params: [] });
  if (filter.duplicate !== undefined) add({ sql: filter.duplicate ? 'duplicates > 0' : 'duplicates = 0', params: [] });
  if (filter.stale !== undefined) add(staleClause(filter.stale, options.now, options.thresholds));
  if (filter.created_from !== undefined) add({ sql: 'created_ms >= ?', params: [instant(filter.created_from, false)] });
  if (filter.created_to !== undefined) add({ sql: 'created_ms < ?', params: [instant(filter.created_to, true)] });
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function orderBy(sort: IndexSort, order: SortOrder): { columns: string[]; sql: string } {
  const columns = [...sortColumns[sort], 'id'];
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  return { columns, sql: `ORDER BY ${columns.map((column) => `${column} ${direction}`).join(', ')}` };
}

function toEpoch(iso: string | null): number {
  if (!iso) return 0;
  const epoch = Date.parse(iso);
  return Number.isNaN(epoch) ? 0 : epoch;
}

export function createLinkIndexStore(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO index_links (id, institution, status, access_mode, refresh_rate, external_id, institution_user_id, created_by,
      created_at, created_ms, last_accessed_at, last_accessed_ms, status_since_ms, duplicates, seen_run)
    VALUES (@id, @institution, @status, @access_mode, @refresh_rate, @external_id, @institution_user_id, @created_by,
      @created_at, @created_ms, @last_accessed_at, @last_accessed_ms, max(@created_ms, @last_accessed_ms), 0, @seen_run)
    ON CONFLICT (id) DO UPDATE SET institution = excluded.institution, status = excluded.status, access_mode = excluded.access_mode,
      refresh_rate = excluded.refresh_rate, external_id = excluded.external_id, institution_user_id = excluded.institution_user_id,
      created_by = excluded.created_by, created_at = excluded.created_at, created_ms = excluded.created_ms,
      last_accessed_at = excluded.last_accessed_at, last_accessed_ms = excluded.last_accessed_ms,
      status_since_ms = CASE WHEN index_links.status = excluded.status THEN index_links.status_since_ms ELSE @now END,
      seen_run = max(index_links.seen_run, excluded.seen_run)
    -- A scheduled sync finds most links unchanged: writing them anyway would rewrite ~20 index entries each.
    WHERE index_links.status IS NOT excluded.status OR index_links.last_accessed_at IS NOT excluded.last_accessed_at
      OR index_links.external_id IS NOT excluded.external_id OR index_links.access_mode IS NOT excluded.access_mode
      OR index_links.refresh_rate IS NOT excluded.refresh_rate OR index_links.institution IS NOT excluded.institution
      OR index_links.institution_user_id IS NOT excluded.institution_user_id OR index_links.created_at IS NOT excluded.created_at
      OR index_links.created_by IS NOT excluded.created_by`);
  // seen_run is in no index: marking an unchanged link as seen touches its row only.
  const markSeen = db.prepare('UPDATE index_links SET seen_run = ? WHERE id = ? AND seen_run < ?');
  const upsertBody = db.prepare('INSERT INTO index_link_bodies (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body WHERE body IS NOT excluded.body');
  // Recounts the groups (institution + institution_user_id) given as a JSON array of pairs, writing only what changed.
  // Driven from the keys (row-value IN uses index_links_same_user): a page touches its groups only.
  const recountGroups = db.prepare(`
    UPDATE index_links
    SET duplicates = (SELECT count(*) - 1 FROM index_links b WHERE b.institution = index_links.institution AND b.institution_user_id = index_links.institution_user_id)
    WHERE (institution, institution_user_id) IN (SELECT DISTINCT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
      AND duplicates != (SELECT count(*) - 1 FROM index_links b WHERE b.institution = index_links.institution AND b.institution_user_id = index_links.institution_user_id)`);
  const deleteOne = db.prepare('DELETE FROM index_links WHERE id = ? RETURNING institution, institution_user_id');
  const deleteBody = db.prepare('DELETE FROM index_link_bodies WHERE id = ?');
  const updateStatus = db.prepare('UPDATE index_links SET status = ?, status_since_ms = ? WHERE id = ? AND status != ?');
  const updateBodyStatus = db.prepare("UPDATE index_link_bodies SET body = json_set(body, '$.status', ?) WHERE id = ?");
  const getMeta = db.prepare('SELECT value FROM index_meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO index_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const deleteMeta = db.prepare('DELETE FROM index_meta WHERE key = ?');
  const countAll = db.prepare('SELECT count(*) AS n FROM index_links');
  const maxCreated = db.prepare('SELECT created_at FROM index_links ORDER BY created_ms DESC LIMIT 1');

  const upsertMany = db.transaction((links: readonly Link[], seenRun: number, now: number) => {
    const keys: [string, string][] = [];
    for (const link of links) {
      upsert.run({
        id: link.id,
        institution: link.institution,
        status: link.status,
        access_mode: link.access_mode,
        refresh_rate: link.refresh_rate,
        external_id: link.external_id,
        institution_user_id: link.institution_user_id,
        created_by: link.created_by,
        created_at: link.created_at,
        created_ms: toEpoch(link.created_at),
        last_accessed_at: link.last_accessed_at,
        last_accessed_ms: toEpoch(link.last_accessed_at),
        seen_run: seenRun,
        now,
      });
      markSeen.run(seenRun, link.id, seenRun);
      upsertBody.run(link.id, JSON.stringify(link));
      if (link.institution_user_id) keys.push([link.institution, link.institution_user_id]);
    }
    // Belvo never changes a link's institution or institution_user_id, so only the new keys need a recount.
    if (keys.length > 0) recountGroups.run(JSON.stringify(keys));
  });

  const removeMany = db.transaction((ids: readonly string[]) => {
    const keys: [string, string][] = [];
    let removed = 0;
    for (const id of ids) {
      const row = deleteOne.get(id) as { institution: string; institution_user_id: string | null } | undefined;
      deleteBody.run(id);
      if (row) {
        removed += 1;
        if (row.institution_user_id) keys.push([row.institution, row.institution_user_id]);
      }
    }
    if (keys.length > 0) recountGroups.run(JSON.stringify(keys));
    return removed;
  });

  return {
    upsert(links: readonly Link[], seenRun: number, now: number) {
      if (links.length > 0) upsertMany(links, seenRun, now);
    },
    /** Several pages and the sync's cursor in one transaction: fewer, larger commits (each rewrites the touched index pages). */
    upsertWithMeta: db.transaction((links: readonly Link[], seenRun: number, now: number, key: string, value: unknown) => {
      if (links.length > 0) upsertMany(links, seenRun, now);
      setMeta.run(key, JSON.stringify(value));
    }),
    remove(ids: readonly string[]): number {
      return removeMany(ids);
    },
    /** Links a completed full sync did not see: Belvo no longer has them. */
    removeUnseen(run: number): number {
      const ids = (db.prepare('SELECT id FROM index_links WHERE seen_run < ?').pluck().all(run) as string[]);
      return ids.length > 0 ? removeMany(ids) : 0;
    },
    /** A status Belvo reported (LINK webhook); true when it changed something. */
    setStatus: db.transaction((id: string, status: LinkStatus, now: number): boolean => {
      if (updateStatus.run(status, now, id, status).changes === 0) return false;
      updateBodyStatus.run(status, id);
      return true;
    }),
    /** Fresh statistics for the query planner, after a full sync changed the data's shape. */
    analyze() {
      db.exec('ANALYZE index_links');
    },
    count: () => (countAll.get() as { n: number }).n,
    newestCreatedAt: () => (maxCreated.get() as { created_at: string } | undefined)?.created_at ?? null,
    meta<T>(key: string): T | null {
      const row = getMeta.get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : null;
    },
    setMeta(key: string, value: unknown) {
      if (value === null || value === undefined) deleteMeta.run(key);
      else setMeta.run(key, JSON.stringify(value));
    },

    /** One page of the filtered, sorted set, plus counts per status under the other filters. */
    page(filter: IndexFilter, sort: IndexSort, order: SortOrder, page: number, pageSize: number, now: number, thresholds: StaleThresholds) {
      const where = whereOf(filter, { now, thresholds, sort });
      const ordering = orderBy(sort, order);
      // Sort and page on the narrow rows, then read the bodies of just this page.
      const rows = db
        .prepare(`SELECT id, duplicates FROM index_links ${where.sql} ${ordering.sql} LIMIT ? OFFSET ?`)
        .all(...where.params, pageSize, (page - 1) * pageSize) as { id: string; duplicates: number }[];
      const bodies = new Map(
        (db.prepare('SELECT id, body FROM index_link_bodies WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(rows.map((row) => row.id))) as {
          id: string;
          body: string;
        }[]).map((row) => [row.id, row.body]),
      );
      const facet = whereOf(filter, { now, thresholds, skipStatus: true });
      // `+status`: group without steering the planner to the status index; the filters pick the index.
      const grouped = db.prepare(`SELECT status, count(*) AS n FROM index_links ${facet.sql} GROUP BY +status`).all(...facet.params) as {
        status: LinkStatus;
        n: number;
      }[];
      const counts = Object.fromEntries(linkStatuses.map((status) => [status, 0])) as Record<LinkStatus, number>;
      for (const { status, n } of grouped) if (status in counts) counts[status] = n;
      const count = filter.status !== undefined ? counts[filter.status] : grouped.reduce((sum, { n }) => sum + n, 0);
      return { count, counts, results: rows.map((row) => ({ ...(JSON.parse(bodies.get(row.id) ?? '{}') as Link), duplicates: row.duplicates })) };
    },

    /**
     * Every row of the filtered, sorted set, `chunk` at a time, by keyset: each chunk is its own
     * short query, so a slow download never holds the database and memory stays flat.
     */
    *rows(filter: IndexFilter, sort: IndexSort, order: SortOrder, now: number, thresholds: StaleThresholds, chunk = 1000): Generator<IndexRow[]> {
      const where = whereOf(filter, { now, thresholds });
      const ordering = orderBy(sort, order);
      const keyColumns = ordering.columns;
      const comparison = order === 'asc' ? '>' : '<';
      const first = db.prepare(`SELECT ${rowColumns}, ${keyColumns.map((c, i) => `${c} AS k${i}`).join(', ')} FROM index_links ${where.sql} ${ordering.sql} LIMIT ?`);
      const after = db.prepare(
        `SELECT ${rowColumns}, ${keyColumns.map((c, i) => `${c} AS k${i}`).join(', ')} FROM index_links ${where.sql ? `${where.sql} AND` : 'WHERE'} (${keyColumns.join(', ')}) ${comparison} (${keyColumns.map(() => '?').join(', ')}) ${ordering.sql} LIMIT ?`,
      );
      let last: Record<string, unknown> | undefined;
      for (;;) {
        const batch = (last
          ? after.all(...where.params, ...keyColumns.map((_, i) => last?.[`k${i}`]), chunk)
          : first.all(...where.params, chunk)) as (IndexRow & Record<string, unknown>)[];
        if (batch.length === 0) return;
        yield batch;
        if (batch.length < chunk) return;
        last = batch[batch.length - 1];
      }
    },

    /** The index's rows for these ids (those it has). */
    byIds(ids: readonly string[]): IndexRow[] {
      return db.prepare(`SELECT ${rowColumns} FROM index_links WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as IndexRow[];
    },

    countsByStatus(): Record<LinkStatus, number> {
      const counts = Object.fromEntries(linkStatuses.map((status) => [status, 0])) as Record<LinkStatus, number>;
      for (const { status, n } of db.prepare('SELECT status, count(*) AS n FROM index_links GROUP BY status').all() as { status: LinkStatus; n: number }[]) {
        if (status in counts) counts[status] = n;
      }
      return counts;
    },
    byStatusInstitution() {
      return db
        .prepare('SELECT institution, status, count(*) AS count FROM index_links GROUP BY institution, status ORDER BY institution, status')
        .all() as { institution: string; status: LinkStatus; count: number }[];
    },
    orphans: () => (db.prepare('SELECT count(*) AS n FROM index_links WHERE external_id IS NULL').get() as { n: number }).n,
    duplicateRows() {
      return db
        .prepare(
          `SELECT id, institution, institution_user_id, status, external_id, access_mode, created_at, last_accessed_at
           FROM index_links INDEXED BY index_links_duplicates WHERE duplicates > 0
           ORDER BY institution, institution_user_id, created_ms, id`,
        )
        .all() as {
        id: string;
        institution: string;
        institution_user_id: string;
        status: LinkStatus;
        external_id: string | null;
        access_mode: 'single' | 'recurrent' | null;
        created_at: string;
        last_accessed_at: string | null;
      }[];
    },
    staleCounts(now: number, thresholds: StaleThresholds) {
      const notAccessed = staleClause('not_accessed', now, thresholds);
      const broken = staleClause('broken', now, thresholds);
      return {
        notAccessed: db
          .prepare(`SELECT refresh_rate, count(*) AS count FROM index_links WHERE ${notAccessed.sql} GROUP BY refresh_rate`)
          .all(...notAccessed.params) as { refresh_rate: RefreshRate; count: number }[],
        broken: db.prepare(`SELECT status, count(*) AS count FROM index_links WHERE ${broken.sql} GROUP BY status`).all(...broken.params) as {
          status: 'invalid' | 'token_required';
          count: number;
        }[],
      };
    },

    /** The day's snapshot: the counts after that UTC day's latest completed full sync. */
    snapshot(day: string, takenAt: number, counts: Record<LinkStatus, number>) {
      const total = linkStatuses.reduce((sum, status) => sum + counts[status], 0);
      db.prepare(
        `INSERT INTO index_snapshots (day, taken_at, total, valid, invalid, unconfirmed, token_required) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (day) DO UPDATE SET taken_at = excluded.taken_at, total = excluded.total, valid = excluded.valid,
           invalid = excluded.invalid, unconfirmed = excluded.unconfirmed, token_required = excluded.token_required`,
      ).run(day, takenAt, total, counts.valid, counts.invalid, counts.unconfirmed, counts.token_required);
    },
    snapshots(limit: number) {
      return (
        db.prepare('SELECT * FROM index_snapshots ORDER BY day DESC LIMIT ?').all(limit) as {
          day: string;
          taken_at: number;
          total: number;
          valid: number;
          invalid: number;
          unconfirmed: number;
          token_required: number;
        }[]
      ).reverse();
    },
  };
}
export type LinkIndexStore = ReturnType<typeof createLinkIndexStore>;
