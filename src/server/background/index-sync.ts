import type { Logger } from 'pino';
import type { Clock } from '../../contract/clock.ts';
import type { IndexState, IndexStatus, SyncError, SyncPhase, SyncProgress } from '../../contract/bff/link-index.ts';
import type { Link } from '../../contract/links.ts';
import type { BelvoClient } from '../belvo/client.ts';
import { sleepUntil } from '../belvo/rate-limiter.ts';
import { createLinksPageReader, SyncFailure } from './links-page-reader.ts';
import type { LinkIndexStore } from '../store/link-index.ts';

/**
 * Keeps the link index in step with Belvo: a full sync at start-up and every `intervalMs`, an admin
 * can start one, and a cheap incremental pass for new links every `incrementalMs` in between.
 *
 * A full sync reads `GET /api/links/?page_size=1000` newest first, in two phases:
 * - `scan`: links created up to the sync's start (`created_at__lte=<start>`). Each next page is
 *   asked for by keyset — `created_at__lte=<the oldest created_at seen so far>` — rather than by
 *   page number, so links deleted meanwhile cannot shift later pages and hide a link, and links
 *   created meanwhile are outside the bound. The boundary links come back twice; the upsert keeps
 *   one. If a whole page shares one timestamp, it falls back to `page=2, 3…` under the same bound.
 * - `newer`: links created since the start (`created_at__gte=<start>`), the same way.
 * Every link read is stamped with the run; when both phases end, links the run did not see (Belvo
 * no longer has them) are removed. The cursor is saved after every page, so a restart resumes
 * where it stopped instead of starting over.
 *
 * Pages are background work for the shared rate limit; 429, 5xx, 408 and network failures are
 * retried with exponential backoff, never sooner than Belvo's Retry-After.
 */
export interface IndexSyncOptions {
  belvo: BelvoClient;
  store: LinkIndexStore;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  incrementalMs: number;
  pageSize?: number;
  maxAttempts?: number;
  /** Called after every change the sync makes (for `last_change_at`). */
  onChange?: () => void;
  /**
   * Several instances share the index, and only the one holding the background lease runs the
   * schedule. A sync asked for on another instance is left in the index's meta, and the running
   * schedule looks for such requests every this many ms.
   */
  sharedRequestPollMs?: number;
}

type Trigger = SyncProgress['trigger'];

interface Cursor {
  run: number;
  trigger: Trigger;
  phase: Exclude<SyncPhase, 'incremental'>;
  started_at: number;
  /** The sync's start, as the `created_at__lte` of the scan and the `created_at__gt` of `newer`. */
  bound: string;
  /** The current `created_at__lte` of the phase. */
  upper: string;
  /** Page under the same `upper` (1 unless one timestamp filled a page). */
  page: number;
  indexed: number;
  pages: number;
  /** Belvo's count on the scan's first page: the links that existed at the sync's start. */
  scan_count: number | null;
  /** Pages read and Belvo's count on the first page, of the current phase. */
  phase_pages: number;
  phase_count: number | null;
  /** Links read before this process resumed the cursor (for an honest rate). */
  resumed_indexed: number;
  resumed_at: number;
}

const cursorKey = 'sync_cursor';
const runKey = 'sync_run';
const lastFullKey = 'last_full_sync_at';
const lastChangeKey = 'last_change_at';
const belvoCountKey = 'belvo_count';
const lastErrorKey = 'last_error';
const requestedKey = 'sync_requested';

const iso = (epoch: number) => new Date(epoch).toISOString();

export function createIndexSync(options: IndexSyncOptions) {
  const { belvo, store, clock, logger } = options;
  const pageSize = options.pageSize ?? 1000;
  const maxAttempts = options.maxAttempts ?? 6;
  let running: Promise<void> | null = null;
  let incrementalRunning: Promise<void> | null = null;
  let progress: { phase: SyncPhase; cursor: Cursor } | null = null;
  /** The schedule is not running (before `start()`, after `stop()`). */
  let stopped = true;
  /** `stop()` was called: a running sync ends after its current page, keeping its cursor. */
  let halting = false;
  let wake: (() => void) | null = null;
  let pendingTrigger: Trigger | null = null;
  let nextFullAt: number | null = null;
  let nextIncrementalAt: number | null = null;
  let loop: Promise<void> | null = null;

  const changed = async () => {
    await store.setMeta(lastChangeKey, clock.now());
    options.onChange?.();
  };

  const fetchPage = createLinksPageReader({ belvo, clock, logger, maxAttempts, shouldStop: () => halting });

  /**
   * Reads one phase from `cursor.upper` down, saving the cursor after every page. The next page is
   * requested before this one is written, so Belvo's latency and Linkdesk's work overlap.
   */
  const runPhase = async (cursor: Cursor, lower: string | null) => {
    const request = (upper: string, page: number) => {
      const query = new URLSearchParams({ page_size: String(pageSize), created_at__lte: upper });
      // `__gte`, not `__gt`: a link created in the very millisecond the sync started, after the scan's
      // first page, would otherwise fall between the phases. Reading the bound twice costs nothing.
      if (lower) query.set('created_at__gte', lower);
      if (page > 1) query.set('page', String(page));
      const pending = fetchPage(query);
      pending.catch(() => {}); // awaited below; this only keeps an abandoned prefetch from being "unhandled"
      return pending;
    };
    let pending = request(cursor.upper, cursor.page);
    // Pages are written five at a time with the cursor: a commit rewrites every index page it
    // touches, so fewer, larger commits cost much less CPU. A restart re-reads at most four pages.
    let buffered: Link[] = [];
    for (;;) {
      const page = await pending;
      if (cursor.phase_pages === 0) {
        cursor.phase_count = page.count;
        if (cursor.phase === 'scan') cursor.scan_count = page.count;
      }
      cursor.phase_pages += 1;
      const oldest = page.results[page.results.length - 1]?.created_at;
      const done = page.results.length < pageSize || oldest === undefined;
      if (!done) {
        if (Date.parse(oldest) === Date.parse(cursor.upper)) cursor.page += 1;
        else {
          cursor.upper = oldest;
          cursor.page = 1;
        }
        if (!halting) pending = request(cursor.upper, cursor.page);
      }
      buffered = buffered.concat(page.results);
      cursor.indexed += page.results.length;
      cursor.pages += 1;
      if (done || halting || buffered.length >= pageSize * 5) {
        await store.upsertWithMeta(buffered, cursor.run, clock.now(), cursorKey, cursor);
        buffered = [];
        await changed();
      }
      if (done) return;
      if (halting) throw new SyncFailure({ code: 'stopped', message: 'Linkdesk stopped during the sync; it resumes at the next start.', request_id: null, http_status: null });
    }
  };

  const fullSync = async (trigger: Trigger): Promise<void> => {
    const now = clock.now();
    let cursor = await store.meta<Cursor>(cursorKey);
    if (cursor) {
      // A cursor left by an earlier process: carry on from its last saved page.
      cursor = { ...cursor, trigger: 'resume', resumed_indexed: cursor.indexed, resumed_at: now };
    } else {
      const run = ((await store.meta<number>(runKey)) ?? 0) + 1;
      await store.setMeta(runKey, run);
      cursor = {
        run,
        trigger,
        phase: 'scan',
        started_at: now,
        bound: iso(now),
        upper: iso(now),
        page: 1,
        indexed: 0,
        pages: 0,
        scan_count: null,
        phase_pages: 0,
        phase_count: null,
        resumed_indexed: 0,
        resumed_at: now,
      };
      await store.setMeta(cursorKey, cursor);
    }
    progress = { phase: cursor.phase, cursor };
    logger.info({ run: cursor.run, trigger: cursor.trigger, phase: cursor.phase }, 'index sync started');
    try {
      if (cursor.phase === 'scan') {
        await runPhase(cursor, null);
        cursor.phase = 'newer';
        cursor.upper = iso(clock.now());
        cursor.page = 1;
        cursor.phase_pages = 0;
        cursor.phase_count = null;
        await store.setMeta(cursorKey, cursor);
        progress = { phase: 'newer', cursor };
      }
      await runPhase(cursor, cursor.bound);
      const removed = await store.removeUnseen(cursor.run, clock.now());
      await store.analyze();
      const finished = clock.now();
      await store.setMeta(belvoCountKey, (cursor.scan_count ?? 0) + (cursor.phase_count ?? 0));
      await store.setMeta(lastFullKey, finished);
      await store.setMeta(lastErrorKey, null);
      await store.setMeta(cursorKey, null);
      await store.snapshot(iso(finished).slice(0, 10), finished, await store.countsByStatus());
      await changed();
      logger.info({ run: cursor.run, indexed: await store.count(), removed, pages: cursor.pages }, 'index sync completed');
    } catch (error) {
      const detail =
        error instanceof SyncFailure
          ? error.detail
          : { code: 'linkdesk_error', message: error instanceof Error ? error.message : String(error), request_id: null, http_status: null };
      if (detail.code !== 'stopped') await store.setMeta(lastErrorKey, { ...detail, at: iso(clock.now()) });
      logger.error({ run: cursor.run, ...detail }, 'index sync failed');
    } finally {
      progress = null;
    }
  };

  /** New links since the newest one indexed: usually one request that returns nothing. */
  const incremental = async (): Promise<void> => {
    const newest = await store.newestCreatedAt();
    if (!newest || running) return;
    const run = (await store.meta<number>(runKey)) ?? 0;
    let upper = iso(clock.now());
    let page = 1;
    try {
      for (;;) {
        // `__gte` the newest indexed link: another may share its millisecond; the re-read is harmless.
        const query = new URLSearchParams({ page_size: String(pageSize), created_at__gte: newest, created_at__lte: upper });
        if (page > 1) query.set('page', String(page));
        const result = await fetchPage(query);
        // Upserted with the latest run number: a full sync still running will not remove them.
        await store.upsert(result.results, Math.max(run, progress?.cursor.run ?? 0), clock.now());
        if (result.results.length > 0) await changed();
        const oldest = result.results[result.results.length - 1]?.created_at;
        if (result.results.length < pageSize || !oldest) return;
        if (Date.parse(oldest) === Date.parse(upper)) page += 1;
        else {
          upper = oldest;
          page = 1;
        }
      }
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'index incremental pass failed');
    }
  };

  const startFull = (trigger: Trigger): boolean => {
    if (running) return false;
    running = fullSync(trigger).finally(() => {
      running = null;
      nextFullAt = clock.now() + options.intervalMs;
    });
    return true;
  };

  const state = async (): Promise<IndexState> => {
    if (running) return 'syncing';
    if (await store.meta<SyncError>(lastErrorKey)) return 'error';
    if ((await store.meta<number>(lastFullKey)) !== null) return 'ready';
    // A first sync that stopped part-way (a restart) is still syncing: it resumes from its cursor.
    if (await store.meta<Cursor>(cursorKey)) return 'syncing';
    // No full sync yet: a few links may have arrived through Linkdesk's own actions, but the index is not usable.
    return 'empty';
  };

  return {
    /** Starts the schedule: resumes an interrupted sync or starts one, then keeps time. */
    start() {
      if (!stopped) return;
      stopped = false;
      halting = false;
      nextIncrementalAt = clock.now() + options.incrementalMs;
      nextFullAt = clock.now();
      loop = (async () => {
        // At start-up: resume an interrupted sync, else sync now (the index may be hours old).
        pendingTrigger = (await store.meta<Cursor>(cursorKey)) ? 'resume' : 'startup';
        while (!stopped) {
          if (options.sharedRequestPollMs !== undefined && !running && (await store.meta<number>(requestedKey)) !== null) {
            await store.setMeta(requestedKey, null);
            pendingTrigger ??= 'manual';
          }
          const now = clock.now();
          if (pendingTrigger || (nextFullAt !== null && now >= nextFullAt)) {
            const trigger = pendingTrigger ?? 'schedule';
            pendingTrigger = null;
            startFull(trigger);
          }
          if (running) await Promise.race([running, new Promise<void>((resolve) => (wake = resolve))]);
          else if (nextIncrementalAt !== null && now >= nextIncrementalAt) {
            incrementalRunning = incremental().finally(() => (incrementalRunning = null));
            await incrementalRunning;
            nextIncrementalAt = clock.now() + options.incrementalMs;
          } else {
            const until = Math.min(
              nextFullAt ?? Number.POSITIVE_INFINITY,
              nextIncrementalAt ?? Number.POSITIVE_INFINITY,
              options.sharedRequestPollMs === undefined ? Number.POSITIVE_INFINITY : now + options.sharedRequestPollMs,
            );
            await Promise.race([sleepUntil(clock, until), new Promise<void>((resolve) => (wake = resolve))]);
          }
          wake = null;
        }
      })();
    },
    async stop() {
      stopped = true;
      halting = true;
      wake?.();
      await Promise.allSettled([running, incrementalRunning, loop]);
    },
    /** An admin (or a test) asks for a full sync now; false when one is already running. */
    requestSync(trigger: Trigger = 'manual'): boolean {
      if (stopped && options.sharedRequestPollMs !== undefined) {
        // Another instance runs the schedule: it picks the request up within sharedRequestPollMs.
        store.setMeta(requestedKey, clock.now()).catch((error: unknown) => {
          logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not pass the sync request to the instance running background work');
        });
        return true;
      }
      const started = startFull(trigger);
      wake?.();
      return started;
    },
    /** Runs a full sync to its end (tests, the benchmark). */
    async syncNow(trigger: Trigger = 'manual') {
      startFull(trigger);
      await running;
    },
    incremental,
    /** Resolves when the running sync ends (at once if none runs). */
    settled: async () => {
      await running;
    },
    currentRun: async () => progress?.cursor.run ?? (await store.meta<number>(runKey)) ?? 0,
    state,
    async status(): Promise<IndexStatus> {
      const lastFull = await store.meta<number>(lastFullKey);
      const lastChange = await store.meta<number>(lastChangeKey);
      const cursor = progress?.cursor;
      let syncProgress: SyncProgress | null = null;
      if (cursor && progress) {
        const elapsed = (clock.now() - cursor.resumed_at) / 1000;
        const readHere = cursor.indexed - cursor.resumed_indexed;
        const rate = elapsed > 0 && readHere > 0 ? readHere / elapsed : null;
        const total = cursor.scan_count === null ? null : cursor.scan_count + (progress.phase === 'newer' ? (cursor.phase_count ?? 0) : 0);
        syncProgress = {
          phase: progress.phase,
          trigger: cursor.trigger,
          started_at: iso(cursor.started_at),
          indexed: cursor.indexed,
          belvo_count: total,
          pages: cursor.pages,
          rate_per_second: rate === null ? null : Math.round(rate * 10) / 10,
          eta_seconds: rate && total !== null ? Math.max(0, Math.round((total - cursor.indexed) / rate)) : null,
        };
      }
      return {
        state: await state(),
        indexed: await store.count(),
        belvo_count: syncProgress?.belvo_count ?? (await store.meta<number>(belvoCountKey)),
        last_full_sync_at: lastFull === null ? null : iso(lastFull),
        last_change_at: lastChange === null ? null : iso(lastChange),
        progress: syncProgress,
        last_error: await store.meta<SyncError>(lastErrorKey),
        next_sync_at: running || stopped || nextFullAt === null ? null : iso(nextFullAt),
        sync_interval_seconds: Math.round(options.intervalMs / 1000),
      };
    },
    /** Called by the index service when Linkdesk itself changed the index. */
    touched: changed,
  };
}
export type IndexSync = ReturnType<typeof createIndexSync>;
