import type { Logger } from 'pino';
import type { Clock } from '../../contract/clock.ts';
import {
  indexCsvColumns,
  indexDefaults,
  healthDuplicateGroups,
  type DuplicateGroup,
  type DuplicateGroupsPage,
  type Health,
  type IndexFreshness,
  type IndexLinksPage,
  type IndexLinksQuery,
  type IndexStatus,
} from '../../contract/bff/link-index.ts';
import { linkSchema, linkStatuses, refreshRates, uuidPattern } from '../../contract/links.ts';
import type { BelvoClient } from '../belvo/client.ts';
import type { EventBus, LinkdeskEvent } from '../events.ts';
import type { IndexRow, LinkIndexStore } from '../store/link-index.ts';
import type { StaleThresholds } from '../store/link-index-filters.ts';

/**
 * Reads of the link index (list, CSV, health) and the changes Linkdesk makes to it between syncs:
 * its own deletes, refreshes, registrations and MFA resumes, and Belvo's webhooks, all arriving
 * on the event bus. Belvo stays the source of truth; every answer carries the index's freshness.
 */
/** What the service needs of the sync runner (background/index-sync.ts), which the composition root builds. */
export interface IndexSyncHandle {
  status(): Promise<IndexStatus>;
  requestSync(trigger: 'manual'): boolean;
  /** The run a link written now belongs to, so a running full sync does not remove it. */
  currentRun(): Promise<number>;
  /** Records that Linkdesk changed the index (`last_change_at`). */
  touched(): Promise<void>;
}

export interface LinkIndexServiceDeps {
  store: LinkIndexStore;
  sync: IndexSyncHandle;
  clock: Clock;
  belvo: BelvoClient;
  events: EventBus;
  logger: Logger;
  thresholds: StaleThresholds;
}

const iso = (epoch: number) => new Date(epoch).toISOString();
const historyDays = 400;

/** CSV cell: quoted, quotes doubled, and formula-like text defused for spreadsheets (OWASP CSV injection). */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function createLinkIndexService(deps: LinkIndexServiceDeps) {
  const { store, sync, clock, logger } = deps;
  const refetch = new Set<string>();
  let draining: Promise<void> | null = null;

  const freshness = async (): Promise<IndexFreshness> => {
    const status = await sync.status();
    return { as_of: status.last_full_sync_at, last_change_at: status.last_change_at, state: status.state };
  };

  /** Re-reads links Linkdesk knows changed but has no body for (a refresh landed, a registration paused for MFA). */
  const drain = async () => {
    while (refetch.size > 0) {
      const id = refetch.values().next().value as string;
      refetch.delete(id);
      try {
        const response = await deps.belvo.send({ method: 'GET', path: `/api/links/${id}/`, priority: 'background' });
        if (response.status === 200) {
          const parsed = linkSchema.safeParse(JSON.parse(response.bodyText));
          if (parsed.success) {
            await store.upsert([parsed.data], await sync.currentRun(), clock.now());
            await sync.touched();
          }
        } else if (response.status === 404) {
          if ((await store.remove([id], clock.now())) > 0) await sync.touched();
        }
      } catch (error) {
        logger.warn({ link_id: id, err: error instanceof Error ? error.message : String(error) }, 'index could not re-read a link');
      }
    }
  };

  /** Every duplicate group (same institution + institution_user_id), newest group first, each newest link first. */
  const duplicateGroups = async (): Promise<{ groups: DuplicateGroup[]; links: number }> => {
    const groups: (DuplicateGroup & { newest: string })[] = [];
    let links = 0;
    let current: (DuplicateGroup & { newest: string }) | undefined;
    for (const row of await store.duplicateRows()) {
      links += 1;
      if (!current || current.institution !== row.institution || current.institution_user_id !== row.institution_user_id) {
        current = { institution: row.institution, institution_user_id: row.institution_user_id, link_ids: [], links: [], newest: row.created_at };
        groups.push(current);
      }
      current.link_ids.push(row.id);
      current.links.push({
        id: row.id,
        status: row.status,
        external_id: row.external_id,
        access_mode: row.access_mode,
        created_at: row.created_at,
        last_accessed_at: row.last_accessed_at,
      });
    }
    // Rows arrive oldest first within a group (the index's order); groups show newest first, and the newest group first.
    for (const group of groups) {
      group.link_ids.reverse();
      group.links.reverse();
      group.newest = group.links[0]?.created_at ?? group.newest;
    }
    groups.sort((a, b) => (a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0));
    return { groups: groups.map(({ newest: _newest, ...group }) => group), links };
  };

  const apply = async (event: LinkdeskEvent) => {
    if (event.type === 'link-deleted' && event.link_id) {
      if ((await store.remove([event.link_id], clock.now())) > 0) await sync.touched();
      return;
    }
    if (event.type !== 'link-changed') return;
    if (event.link) {
      const parsed = linkSchema.safeParse(event.link);
      if (parsed.success) {
        await store.upsert([parsed.data], await sync.currentRun(), clock.now());
        await sync.touched();
        return;
      }
    }
    if (event.link_id && event.status) {
      if (await store.setStatus(event.link_id, event.status, clock.now())) await sync.touched();
      return;
    }
    // Only once the index holds links: before the first sync there is nothing to keep current.
    if (event.link_id && uuidPattern.test(event.link_id) && (await store.count()) > 0) {
      refetch.add(event.link_id.toLowerCase());
      draining ??= drain().finally(() => (draining = null));
    }
  };
  // Events are applied one after another, in the order they were published.
  let applying: Promise<void> = Promise.resolve();
  const unsubscribe = deps.events.subscribe((event) => {
    applying = applying
      .then(() => apply(event))
      .catch((error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : String(error), event: event.type }, 'index could not apply an event');
      });
  });

  return {
    freshness,
    status: () => sync.status(),
    /** An admin's "sync now"; false when a sync is already running. */
    requestSync: () => sync.requestSync('manual'),

    async list(query: IndexLinksQuery): Promise<IndexLinksPage> {
      const { sort = indexDefaults.sort, order = indexDefaults.order, page = indexDefaults.page, page_size: pageSize = indexDefaults.page_size, ...filter } = query;
      const result = await store.page(filter, sort, order, page, pageSize, clock.now(), deps.thresholds);
      const fresh = await freshness();
      return { ...result, as_of: fresh.as_of, last_change_at: fresh.last_change_at, state: fresh.state, page, page_size: pageSize };
    },

    /** The whole filtered, sorted set as CSV, produced a chunk at a time as the client reads. */
    async csv(query: IndexLinksQuery): Promise<ReadableStream<Uint8Array>> {
      const { sort = indexDefaults.sort, order = indexDefaults.order, page: _page, page_size: _pageSize, ...filter } = query;
      const fresh = await freshness();
      const asOf = fresh.as_of ?? '';
      const lastChange = fresh.last_change_at ?? '';
      const tail = `,${csvCell(asOf)},${csvCell(lastChange)}\r\n`;
      const chunks = store.rows(filter, sort, order, clock.now(), deps.thresholds);
      const encoder = new TextEncoder();
      const line = (row: IndexRow) =>
        csvCell(row.id) +
        ',' +
        csvCell(row.institution) +
        ',' +
        csvCell(row.status) +
        ',' +
        csvCell(row.access_mode) +
        ',' +
        csvCell(row.refresh_rate) +
        ',' +
        csvCell(row.external_id) +
        ',' +
        csvCell(row.institution_user_id) +
        ',' +
        csvCell(row.created_at) +
        ',' +
        csvCell(row.last_accessed_at) +
        ',' +
        csvCell(row.created_by) +
        ',' +
        csvCell(row.duplicates) +
        tail;
      let headerSent = false;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (!headerSent) {
              headerSent = true;
              controller.enqueue(encoder.encode(`${indexCsvColumns.join(',')}\r\n`));
              return;
            }
            const next = await chunks.next();
            if (next.done) {
              controller.close();
              return;
            }
            let text = '';
            for (const row of next.value) text += line(row);
            controller.enqueue(encoder.encode(text));
          },
          async cancel() {
            await chunks.return(undefined);
          },
        },
        { highWaterMark: 1 },
      );
    },

    /** One page of every duplicate group, newest first (`GET /bff/health/duplicates`). */
    async duplicateGroupsPage(page: number, pageSize: number): Promise<DuplicateGroupsPage> {
      const { groups } = await duplicateGroups();
      return { as_of: (await freshness()).as_of, count: groups.length, page, page_size: pageSize, groups: groups.slice((page - 1) * pageSize, page * pageSize) };
    },

    async health(): Promise<Health> {
      const now = clock.now();
      const fresh = await freshness();
      const matrix = await store.byStatusInstitution();
      const countsByStatus = Object.fromEntries(linkStatuses.map((status) => [status, 0])) as Health['counts_by_status'];
      for (const cell of matrix) countsByStatus[cell.status] += cell.count;
      const total = linkStatuses.reduce((sum, status) => sum + countsByStatus[status], 0);

      const duplicates = await duplicateGroups();

      const stale = await store.staleCounts(now, deps.thresholds);
      const notAccessed = stale.notAccessed.reduce((sum, row) => sum + row.count, 0);
      const broken = stale.broken.reduce((sum, row) => sum + row.count, 0);
      return {
        as_of: fresh.as_of,
        last_change_at: fresh.last_change_at,
        state: fresh.state,
        total,
        counts_by_status: countsByStatus,
        by_status_institution: matrix,
        orphans: await store.orphans(),
        duplicate_groups: duplicates.groups.slice(0, healthDuplicateGroups),
        duplicate_group_count: duplicates.groups.length,
        duplicate_links: duplicates.links,
        stale: {
          thresholds: { refresh_rate_factor: deps.thresholds.refreshRateFactor, broken_days: deps.thresholds.brokenDays },
          not_accessed: notAccessed,
          broken,
          total: notAccessed + broken,
          not_accessed_by_refresh_rate: refreshRates.map((rate) => ({ refresh_rate: rate, count: stale.notAccessed.find((row) => row.refresh_rate === rate)?.count ?? 0 })),
          broken_by_status: (['invalid', 'token_required'] as const).map((status) => ({ status, count: stale.broken.find((row) => row.status === status)?.count ?? 0 })),
        },
        history: (await store.snapshots(historyDays)).map((snapshot) => ({
          day: snapshot.day,
          taken_at: iso(snapshot.taken_at),
          total: snapshot.total,
          counts_by_status: {
            valid: snapshot.valid,
            invalid: snapshot.invalid,
            unconfirmed: snapshot.unconfirmed,
            token_required: snapshot.token_required,
          },
        })),
      };
    },

    /** Whether a full sync has completed: only then can a filter stand for "every matching link". */
    complete: async () => (await sync.status()).last_full_sync_at !== null,
    /** The index's rows for these link ids (the ones it has). */
    rowsByIds: (ids: readonly string[]) => store.byIds(ids),
    /** Up to `limit` rows matching the filter, newest first, and whether there were more. */
    async matching(filter: Omit<IndexLinksQuery, 'sort' | 'order' | 'page' | 'page_size'>, limit: number): Promise<{ rows: IndexRow[]; more: boolean }> {
      const rows: IndexRow[] = [];
      const chunks = store.rows(filter, 'created_at', 'desc', clock.now(), deps.thresholds, Math.min(limit + 1, 1000));
      for await (const chunk of chunks) {
        rows.push(...chunk);
        if (rows.length > limit) {
          await chunks.return(undefined);
          return { rows: rows.slice(0, limit), more: true };
        }
      }
      return { rows, more: false };
    },

    /** Resolves when links queued for a re-read have been re-read (tests). */
    settled: async () => {
      await applying;
      await draining;
    },
    close: unsubscribe,
  };
}
export type LinkIndexService = ReturnType<typeof createLinkIndexService>;
