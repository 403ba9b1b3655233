import type { Clock } from '../../contract/clock.ts';
import { UpstreamError, type BelvoClient, type BelvoRequest, type BelvoResponse } from './client.ts';

/**
 * One budget for everything Linkdesk sends to Belvo. Belvo's guidance is at most 80 requests every
 * 30 seconds per account ("If you exceed this limit, you run the risk of Belvo blocking your IP",
 * belvo-api.md §2.6), and that budget is shared by the console, the index sync and bulk jobs.
 *
 * Interactive requests (a person is waiting) have priority: background work may not take the last
 * `reserveForInteractive` slots of a window, so whenever background work can send, a person can too: a full sync runs for minutes, and
 * without a reserve it would fill every window and make each click in the console wait up to 30 s.
 * With the reserve a click finds a free slot at once unless people alone exceed the reserve.
 *
 * After a 429, or a 5xx that carries Retry-After, background work pauses until Belvo said it may
 * come back. Interactive requests are not held back by the pause: Belvo answers them itself, and a
 * person sees that answer, which is better than a silent wait.
 */
export type BelvoPriority = 'interactive' | 'background';

export interface RateLimiterOptions {
  clock: Clock;
  limit: number;
  windowMs: number;
  reserveForInteractive: number;
}

export interface RateLimiterState {
  limit: number;
  window_ms: number;
  reserve_for_interactive: number;
  used: number;
  background_paused_until: number | null;
  waiting: { interactive: number; background: number };
}

/**
 * Resolves once `clock.now()` reaches `at`: on the wall clock after a timer, on a manual clock as
 * soon as a test advances it that far.
 */
export function sleepUntil(clock: Clock, at: number): Promise<void> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stop = () => {};
    const done = () => {
      if (timer) clearTimeout(timer);
      stop();
      resolve();
    };
    const arm = () => {
      const left = at - clock.now();
      if (left <= 0) return done();
      timer = setTimeout(arm, Math.min(left, 1_000));
      timer.unref?.();
    };
    stop = clock.onAdvance(() => {
      if (clock.now() >= at) done();
    });
    arm();
  });
}

/** Seconds from Belvo's Retry-After (delta seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Where instances sharing a budget keep its window (store/upstream-window.ts implements it over the database). */
export interface UpstreamWindow {
  reserve(input: { priority: BelvoPriority; now: number; windowMs: number; capacity: number }): Promise<{ ok: true; id: number; used: number } | { ok: false; retryAt: number; used: number }>;
  /** Frees a reserved slot that was not used. */
  giveBack(id: number): Promise<void>;
  pauseBackground(until: number, now: number): Promise<void>;
}

/** What `withRateLimit` needs of a limiter: the in-memory one (one instance) or the shared one. */
export interface RateLimiter {
  acquire(priority: BelvoPriority): Promise<void>;
  /** A slot granted and then not used (the request was no longer wanted): free again at once. */
  giveBack(): void | Promise<void>;
  /** Belvo asked Linkdesk to slow down: background work waits until then. */
  pauseBackgroundUntil(at: number): void | Promise<void>;
  state(): RateLimiterState;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { clock } = options;
  let sent: number[] = [];
  let pausedUntil = 0;
  const waiting = { interactive: 0, background: 0 };

  const prune = (now: number) => {
    const from = now - options.windowMs;
    if (sent.length > 0 && (sent[0] ?? 0) <= from) sent = sent.filter((at) => at > from);
  };
  const capacity = (priority: BelvoPriority) =>
    priority === 'interactive' ? options.limit : Math.max(1, options.limit - options.reserveForInteractive);

  /** When the next slot for this priority may open (now if one is free). */
  const nextChance = (priority: BelvoPriority, now: number): number => {
    prune(now);
    let at = now;
    if (priority === 'background') at = Math.max(at, pausedUntil);
    const cap = capacity(priority);
    if (sent.length >= cap) {
      const freeing = sent[sent.length - cap] ?? now;
      at = Math.max(at, freeing + options.windowMs);
    }
    return at;
  };

  return {
    async acquire(priority: BelvoPriority): Promise<void> {
      waiting[priority] += 1;
      try {
        for (;;) {
          const now = clock.now();
          const at = nextChance(priority, now);
          if (at <= now) {
            sent.push(now);
            return;
          }
          await sleepUntil(clock, at);
        }
      } finally {
        waiting[priority] -= 1;
      }
    },
    /** A slot granted and then not used (the request was no longer wanted): free again at once. */
    giveBack() {
      sent.pop();
    },
    /** Belvo asked Linkdesk to slow down: background work waits until then. */
    pauseBackgroundUntil(at: number) {
      pausedUntil = Math.max(pausedUntil, at);
    },
    state(): RateLimiterState {
      const now = clock.now();
      prune(now);
      return {
        limit: options.limit,
        window_ms: options.windowMs,
        reserve_for_interactive: options.reserveForInteractive,
        used: sent.length,
        background_paused_until: pausedUntil > now ? pausedUntil : null,
        waiting: { ...waiting },
      };
    },
  };
}

/**
 * The same budget for several instances on one PostgreSQL database: the window's sends live in
 * the database (store/upstream-window.ts), so three instances together never send more than
 * `limit` in `windowMs`, keep the interactive reserve between them, and all pause background work
 * after one of them hears Belvo's 429. Each reservation is one short serialized transaction. When
 * a slot is not free, the instance sleeps until the window says one frees (or another instance's
 * send may have taken it; it then asks again). `state()` is this instance's last view of the window.
 */
export function createSharedRateLimiter(options: RateLimiterOptions & { window: UpstreamWindow }): RateLimiter {
  const { clock } = options;
  const waiting = { interactive: 0, background: 0 };
  let used = 0;
  let pausedUntil = 0;
  /** This instance's slots, newest last, for giving one back. */
  let reserved: number[] = [];
  const capacity = (priority: BelvoPriority) =>
    priority === 'interactive' ? options.limit : Math.max(1, options.limit - options.reserveForInteractive);
  return {
    async acquire(priority) {
      waiting[priority] += 1;
      try {
        for (;;) {
          const now = clock.now();
          const slot = await options.window.reserve({ priority, now, windowMs: options.windowMs, capacity: capacity(priority) });
          used = slot.used;
          if (slot.ok) {
            reserved.push(slot.id);
            if (reserved.length > options.limit) reserved = reserved.slice(-options.limit);
            return;
          }
          await sleepUntil(clock, slot.retryAt);
        }
      } finally {
        waiting[priority] -= 1;
      }
    },
    async giveBack() {
      const id = reserved.pop();
      if (id !== undefined) await options.window.giveBack(id);
    },
    async pauseBackgroundUntil(at) {
      pausedUntil = Math.max(pausedUntil, at);
      await options.window.pauseBackground(at, clock.now());
    },
    state() {
      const now = clock.now();
      return {
        limit: options.limit,
        window_ms: options.windowMs,
        reserve_for_interactive: options.reserveForInteractive,
        used,
        background_paused_until: pausedUntil > now ? pausedUntil : null,
        waiting: { ...waiting },
      };
    },
  };
}

/**
 * The Belvo client every caller shares (built once in the composition root): each request waits
 * for a slot of the shared budget first. `priority` defaults to interactive.
 */
export function withRateLimit(client: BelvoClient, limiter: RateLimiter, clock: Clock): BelvoClient {
  return {
    ...client,
    async send(request: BelvoRequest): Promise<BelvoResponse> {
      await limiter.acquire(request.priority ?? 'interactive');
      let wanted = true;
      try {
        // May write (a bulk job marks its item as sending, committed before the request leaves).
        wanted = request.stillWanted ? await request.stillWanted() : true;
      } catch (error) {
        await limiter.giveBack();
        throw error;
      }
      if (!wanted) {
        await limiter.giveBack();
        throw new UpstreamError('not_sent', 'Not sent: no longer wanted when its turn came', 0);
      }
      const response = await client.send(request);
      // A synchronous DELETE's 429 is the per-endpoint delete limit (5 a minute, seed 000), handled
      // by the sync-delete budget; any other 429, or a 5xx with Retry-After, concerns the account.
      const syncDelete = request.method === 'DELETE' && request.headers?.['X-Belvo-Request-Mode'] !== 'async';
      if ((response.status === 429 && !syncDelete) || (response.status >= 500 && response.retryAfter)) {
        const wait = retryAfterMs(response.retryAfter, clock.now()) ?? 30_000;
        await limiter.pauseBackgroundUntil(clock.now() + wait);
      }
      return response;
    },
  };
}
