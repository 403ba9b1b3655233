import type { IndexSort, SortOrder } from '../../contract/bff/link-index.ts';
import { linkStatuses, type Link, type LinkStatus, type RefreshRate } from '../../contract/links.ts';
import { CompiledQuery, sql, type Compilable, type RawBuilder } from 'kysely';
import { databaseKind, greatest, locks, serialized, type Db } from './database.ts';
import { batches, indexRow, pushIndexRow } from './link-index-rows.ts';
import { conditionsOf, orderBy, rowColumns, staleClause, whereOf, whereSql, type IndexFilter, type StaleThresholds } from './link-index-filters.ts';

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

/** How long a deleted link's id is remembered, to keep a late write of an older read from restoring it. */
const removedKeptMs = 7 * 24 * 3_600_000;

type Group = [institution: string, institutionUserId: string];

export function createLinkIndexStore(db: Db) {
  const postgres = databaseKind(db) === 'postgres';
  const max = greatest(db);

  /**
   * The (institution, institution_user_id) pairs of a JSON array, as rows: the one JSON function
   * the two databases spell differently.
   */
  const groupsOf = (groups: Group[]) =>
    postgres
      ? sql`SELECT DISTINCT value->>0, value->>1 FROM jsonb_array_elements(${JSON.stringify(groups)}::jsonb)`
      : sql`SELECT DISTINCT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${JSON.stringify(groups)})`;

  // Recounts the given groups, writing only what changed. Driven from the keys (row-value IN uses
  // index_links_same_user): a page touches its groups only.
  const recountGroups = async (trx: Db, groups: Group[]) => {
    if (groups.length === 0) return;
    const size = sql`(SELECT count(*) - 1 FROM index_links b WHERE b.institution = index_links.institution AND b.institution_user_id = index_links.institution_user_id)`;
    await sql`UPDATE index_links SET duplicates = ${size}
      WHERE (institution, institution_user_id) IN (${groupsOf(groups)}) AND duplicates != ${size}`.execute(trx);
  };

  /**
   * Runs a batch statement whose text depends only on how many rows it carries. Kysely compiles
   * the whole tree on every call, and for a 500-row upsert that costs about as much as SQLite takes
   * to run it (~10% of a full sync's CPU). So the text is compiled once per shape and reused with
   * the new rows' parameters, given here in the order Kysely lays them out; the first compile of
   * each shape checks that order, and a shape whose parameters differ is always compiled.
   */
  const reusable = new Map<string, string | null>();
  const runReusing = async (trx: Db, shape: string, parameters: unknown[], build: () => Compilable) => {
    const text = reusable.get(shape);
    if (text) {
      await trx.executeQuery(CompiledQuery.raw(text, parameters));
      return;
    }
    const compiled = build().compile();
    await trx.executeQuery(compiled);
    if (text === undefined) {
      const same = compiled.parameters.length === parameters.length && compiled.parameters.every((value, i) => value === parameters[i]);
      reusable.set(shape, same ? compiled.sql : null);
    }
  };

  const upsertMany = async (trx: Db, links: readonly Link[], seenRun: number, now: number) => {
    // One row per id: PostgreSQL refuses to update the same row twice in one statement.
    const unique = [...new Map(links.map((link) => [link.id, link])).values()];
    // A link Belvo deleted stays deleted: a sync page read before the deletion and written after
    // it (pages are written five at a time) must not bring it back.
    const deleted = new Set<string>();
    for (const ids of batches(unique.map((link) => link.id))) {
      for (const row of await trx.selectFrom('index_removed').select('id').where('id', 'in', ids).execute()) deleted.add(row.id);
    }
    const latest = deleted.size > 0 ? unique.filter((link) => !deleted.has(link.id)) : unique;
    const groups: Group[] = [];
    for (const batch of batches(latest)) {
      // The rows for Kysely (only when this shape is compiled), and the same values as one flat
      // parameter list, in the rows' column order, for the reused text.
      const rowsOf = () => batch.map((link) => indexRow(link, seenRun));
      const parameters: unknown[] = [];
      for (const link of batch) pushIndexRow(parameters, link, seenRun);
      parameters.push(now);
      await runReusing(trx, `links ${batch.length}`, parameters, () =>
        trx
          .insertInto('index_links')
          .values(rowsOf())
          .onConflict((conflict) =>
            conflict
              .column('id')
              .doUpdateSet((eb) => ({
                institution: eb.ref('excluded.institution'),
                status: eb.ref('excluded.status'),
                access_mode: eb.ref('excluded.access_mode'),
                refresh_rate: eb.ref('excluded.refresh_rate'),
                external_id: eb.ref('excluded.external_id'),
                institution_user_id: eb.ref('excluded.institution_user_id'),
                created_by: eb.ref('excluded.created_by'),
                created_at: eb.ref('excluded.created_at'),
                created_ms: eb.ref('excluded.created_ms'),
                last_accessed_at: eb.ref('excluded.last_accessed_at'),
                last_accessed_ms: eb.ref('excluded.last_accessed_ms'),
                status_since_ms: sql<number>`CASE WHEN index_links.status = excluded.status THEN index_links.status_since_ms ELSE ${now} END`,
                seen_run: sql<number>`${max}(index_links.seen_run, excluded.seen_run)`,
              }))
              // A scheduled sync finds most links unchanged: writing them anyway would rewrite ~20 index entries each.
              .where((eb) =>
                eb.or(
                  (['status', 'last_accessed_at', 'external_id', 'access_mode', 'refresh_rate', 'institution', 'institution_user_id', 'created_at', 'created_by'] as const).map(
                    (column) => eb(`index_links.${column}`, 'is distinct from', eb.ref(`excluded.${column}`)),
                  ),
                ),
              ),
          ),
      );
      const ids = batch.map((link) => link.id);
      // seen_run is in no index: marking an unchanged link as seen touches its row only.
      await runReusing(trx, `seen ${ids.length}`, [seenRun, ...ids, seenRun], () =>
        trx.updateTable('index_links').set({ seen_run: seenRun }).where('id', 'in', ids).where('seen_run', '<', seenRun),
      );
      const bodies = batch.map((link) => ({ id: link.id, body: JSON.stringify(link) }));
      const bodyParameters: unknown[] = [];
      for (const row of bodies) bodyParameters.push(row.id, row.body);
      await runReusing(trx, `bodies ${bodies.length}`, bodyParameters, () =>
        trx
          .insertInto('index_link_bodies')
          .values(bodies)
          .onConflict((conflict) =>
            conflict
              .column('id')
              .doUpdateSet((eb) => ({ body: eb.ref('excluded.body') }))
              .where((eb) => eb('index_link_bodies.body', 'is distinct from', eb.ref('excluded.body'))),
          ),
      );
      for (const link of batch) if (link.institution_user_id) groups.push([link.institution, link.institution_user_id]);
    }
    // Belvo never changes a link's institution or institution_user_id, so only the new keys need a recount.
    await recountGroups(trx, groups);
  };

  const removeMany = async (trx: Db, ids: readonly string[], now: number) => {
    const groups: Group[] = [];
    let removed = 0;
    // Remembered for a week (see the index_removed migration), whether or not the index had them.
    await trx.deleteFrom('index_removed').where('at', '<', now - removedKeptMs).execute();
    for (const batch of batches(ids)) {
      await trx
        .insertInto('index_removed')
        .values(batch.map((id) => ({ id, at: now })))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
      const rows = await trx.deleteFrom('index_links').where('id', 'in', batch).returning(['institution', 'institution_user_id']).execute();
      await trx.deleteFrom('index_link_bodies').where('id', 'in', batch).execute();
      removed += rows.length;
      for (const row of rows) if (row.institution_user_id) groups.push([row.institution, row.institution_user_id]);
    }
    await recountGroups(trx, groups);
    return removed;
  };

  const writing = <T>(work: (trx: Db) => Promise<T>) => serialized(db, locks.linkIndex, work);

  const setMetaOn = async (executor: Db, key: string, value: unknown) => {
    if (value === null || value === undefined) {
      await executor.deleteFrom('index_meta').where('key', '=', key).execute();
      return;
    }
    await executor
      .insertInto('index_meta')
      .values({ key, value: JSON.stringify(value) })
      .onConflict((conflict) => conflict.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  };

  const rowsOf = async <T>(query: RawBuilder<T>) => (await query.execute(db)).rows;

  return {
    async upsert(links: readonly Link[], seenRun: number, now: number) {
      if (links.length > 0) await writing((trx) => upsertMany(trx, links, seenRun, now));
    },
    /** Several pages and the sync's cursor in one transaction: fewer, larger commits (each rewrites the touched index pages). */
    async upsertWithMeta(links: readonly Link[], seenRun: number, now: number, key: string, value: unknown) {
      await writing(async (trx) => {
        if (links.length > 0) await upsertMany(trx, links, seenRun, now);
        await setMetaOn(trx, key, value);
      });
    },
    /** Links Belvo deleted: out of the index, and kept out (a later write of an older read skips them). */
    remove(ids: readonly string[], now: number): Promise<number> {
      return ids.length > 0 ? writing((trx) => removeMany(trx, ids, now)) : Promise.resolve(0);
    },
    /** Links a completed full sync did not see: Belvo no longer has them. */
    async removeUnseen(run: number, now: number): Promise<number> {
      return writing(async (trx) => {
        const ids = (await trx.selectFrom('index_links').select('id').where('seen_run', '<', run).execute()).map((row) => row.id);
        return ids.length > 0 ? removeMany(trx, ids, now) : 0;
      });
    },
    /** A status Belvo reported (LINK webhook); true when it changed something. */
    setStatus(id: string, status: LinkStatus, now: number): Promise<boolean> {
      return writing(async (trx) => {
        const result = await trx.updateTable('index_links').set({ status, status_since_ms: now }).where('id', '=', id).where('status', '!=', status).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        // The body is JSON text on both databases; only the function that edits it differs.
        const body = postgres ? sql<string>`jsonb_set(body::jsonb, '{status}', to_jsonb(${status}::text))::text` : sql<string>`json_set(body, '$.status', ${status})`;
        await trx.updateTable('index_link_bodies').set({ body }).where('id', '=', id).execute();
        return true;
      });
    },
    /** Fresh statistics for the query planner, after a full sync changed the data's shape. */
    async analyze() {
      await sql`ANALYZE index_links`.execute(db);
    },
    count: async () => (await db.selectFrom('index_links').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    newestCreatedAt: async () => (await db.selectFrom('index_links').select('created_at').orderBy('created_ms', 'desc').limit(1).executeTakeFirst())?.created_at ?? null,
    async meta<T>(key: string): Promise<T | null> {
      const row = await db.selectFrom('index_meta').select('value').where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : null;
    },
    setMeta: (key: string, value: unknown) => setMetaOn(db, key, value),

    /** One page of the filtered, sorted set, plus counts per status under the other filters. */
    async page(filter: IndexFilter, sort: IndexSort, order: SortOrder, page: number, pageSize: number, now: number, thresholds: StaleThresholds) {
      const where = whereOf(filter, { now, thresholds, sort, hints: !postgres });
      const ordering = orderBy(sort, order);
      // Sort and page on the narrow rows, then read the bodies of just this page.
      const rows = await rowsOf(
        sql<{ id: string; duplicates: number }>`SELECT id, duplicates FROM index_links ${where} ${ordering.sql} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      );
      const bodies = new Map(
        rows.length === 0
          ? []
          : (await db.selectFrom('index_link_bodies').select(['id', 'body']).where('id', 'in', rows.map((row) => row.id)).execute()).map((row) => [row.id, row.body]),
      );
      const facet = whereOf(filter, { now, thresholds, skipStatus: true, hints: !postgres });
      // `+status` (SQLite): group without steering the planner to the status index; the filters pick the index.
      const grouped = await rowsOf(sql<{ status: LinkStatus; n: number }>`SELECT status, count(*) AS n FROM index_links ${facet} GROUP BY ${sql.raw(postgres ? 'status' : '+status')}`);
      const counts = Object.fromEntries(linkStatuses.map((status) => [status, 0])) as Record<LinkStatus, number>;
      for (const { status, n } of grouped) if (status in counts) counts[status] = Number(n);
      const count = filter.status !== undefined ? counts[filter.status] : grouped.reduce((sum, { n }) => sum + Number(n), 0);
      return { count, counts, results: rows.map((row) => ({ ...(JSON.parse(bodies.get(row.id) ?? '{}') as Link), duplicates: row.duplicates })) };
    },

    /**
     * Every row of the filtered, sorted set, `chunk` at a time, by keyset: each chunk is its own
     * short query, so a slow download never holds the database and memory stays flat.
     */
    async *rows(filter: IndexFilter, sort: IndexSort, order: SortOrder, now: number, thresholds: StaleThresholds, chunk = 1000): AsyncGenerator<IndexRow[]> {
      const conditions = conditionsOf(filter, { now, thresholds, hints: false });
      const ordering = orderBy(sort, order);
      const keyColumns = ordering.columns;
      const comparison = sql.raw(order === 'asc' ? '>' : '<');
      const keys = sql.raw(keyColumns.map((c, i) => `${c} AS k${i}`).join(', '));
      const keyTuple = sql.raw(`(${keyColumns.join(', ')})`);
      let last: Record<string, unknown> | undefined;
      for (;;) {
        const after = last;
        const where = whereSql(after ? [...conditions, sql`${keyTuple} ${comparison} (${sql.join(keyColumns.map((_, i) => after[`k${i}`]))})`] : conditions);
        const query = sql<IndexRow & Record<string, unknown>>`SELECT ${rowColumns}, ${keys} FROM index_links ${where} ${ordering.sql} LIMIT ${chunk}`;
        const batch = await rowsOf(query);
        if (batch.length === 0) return;
        yield batch;
        if (batch.length < chunk) return;
        last = batch[batch.length - 1];
      }
    },

    /** The index's rows for these ids (those it has). */
    async byIds(ids: readonly string[]): Promise<IndexRow[]> {
      const rows: IndexRow[] = [];
      for (const batch of batches(ids)) rows.push(...(await rowsOf(sql<IndexRow>`SELECT ${rowColumns} FROM index_links WHERE id IN (${sql.join(batch)})`)));
      return rows;
    },

    async countsByStatus(): Promise<Record<LinkStatus, number>> {
      const counts = Object.fromEntries(linkStatuses.map((status) => [status, 0])) as Record<LinkStatus, number>;
      const rows = await db.selectFrom('index_links').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      for (const { status, n } of rows) if (status in counts) counts[status as LinkStatus] = n;
      return counts;
    },
    async byStatusInstitution() {
      return (await db
        .selectFrom('index_links')
        .select(['institution', 'status', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy(['institution', 'status'])
        .orderBy('institution')
        .orderBy('status')
        .execute()) as { institution: string; status: LinkStatus; count: number }[];
    },
    orphans: async () =>
      (await db.selectFrom('index_links').select((eb) => eb.fn.countAll<number>().as('n')).where('external_id', 'is', null).executeTakeFirstOrThrow()).n,
    async duplicateRows() {
      // SQLite: INDEXED BY keeps the covering index the planner would otherwise pass over at this
      // size; PostgreSQL picks index_links_duplicates (partial, covering) itself.
      return rowsOf(
        sql<{
          id: string;
          institution: string;
          institution_user_id: string;
          status: LinkStatus;
          external_id: string | null;
          access_mode: 'single' | 'recurrent' | null;
          created_at: string;
          last_accessed_at: string | null;
        }>`SELECT id, institution, institution_user_id, status, external_id, access_mode, created_at, last_accessed_at
           FROM index_links ${postgres ? sql`` : sql`INDEXED BY index_links_duplicates`} WHERE duplicates > 0
           ORDER BY institution, institution_user_id, created_ms, id`,
      );
    },
    async staleCounts(now: number, thresholds: StaleThresholds) {
      const notAccessed = staleClause('not_accessed', now, thresholds);
      const broken = staleClause('broken', now, thresholds);
      return {
        notAccessed: await rowsOf(sql<{ refresh_rate: RefreshRate; count: number }>`SELECT refresh_rate, count(*) AS count FROM index_links WHERE ${notAccessed} GROUP BY refresh_rate`),
        broken: await rowsOf(sql<{ status: 'invalid' | 'token_required'; count: number }>`SELECT status, count(*) AS count FROM index_links WHERE ${broken} GROUP BY status`),
      };
    },

    /** The day's snapshot: the counts after that UTC day's latest completed full sync. */
    async snapshot(day: string, takenAt: number, counts: Record<LinkStatus, number>) {
      const total = linkStatuses.reduce((sum, status) => sum + counts[status], 0);
      await db
        .insertInto('index_snapshots')
        .values({ day, taken_at: takenAt, total, valid: counts.valid, invalid: counts.invalid, unconfirmed: counts.unconfirmed, token_required: counts.token_required })
        .onConflict((conflict) =>
          conflict.column('day').doUpdateSet((eb) => ({
            taken_at: eb.ref('excluded.taken_at'),
            total: eb.ref('excluded.total'),
            valid: eb.ref('excluded.valid'),
            invalid: eb.ref('excluded.invalid'),
            unconfirmed: eb.ref('excluded.unconfirmed'),
            token_required: eb.ref('excluded.token_required'),
          })),
        )
        .execute();
    },
    async snapshots(limit: number) {
      return (await db.selectFrom('index_snapshots').selectAll().orderBy('day', 'desc').limit(limit).execute()).reverse();
    },
  };
}
export type LinkIndexStore = ReturnType<typeof createLinkIndexStore>;
