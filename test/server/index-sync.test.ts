import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { Health, IndexLinksPage, IndexStatus } from '../../src/contract/bff/link-index.ts';
import { createRateLimiter } from '../../src/server/belvo/rate-limiter.ts';
import { openDatabase } from '../../src/server/store/database.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * The index's sync against the simulator: what it reads, how it survives a restart, Belvo's
 * throttling, and the changes that keep it current between syncs. Syncs of thousands of links
 * take seconds on a loaded 2-core machine, hence the longer timeouts.
 */
const stacks: TestStack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
});
async function stackWith(options: Parameters<typeof createTestStack>[0] = {}) {
  const stack = await createTestStack(options);
  stacks.push(stack);
  return stack;
}

const indexedIds = async (stack: TestStack) => {
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const body = (await (await stack.request(`/bff/index/links?page_size=1000&page=${page}`)).json()) as IndexLinksPage;
    ids.push(...body.results.map((link) => link.id));
    if (body.results.length < 1000) return ids.sort();
  }
};
const simIds = (stack: TestStack) => stack.sim.links().map((link) => link.id).sort();
const linkPages = (stack: TestStack) => stack.belvoCalls.filter((request) => new URL(request.url).pathname === '/api/links/' && request.method === 'GET');

describe('full sync', { timeout: 30_000 }, () => {
  it('indexes every link Belvo has, page by page, and says so', async () => {
    const stack = await stackWith({ sim: { linkCount: 3_500 } });
    expect(((await (await stack.request('/bff/index/status')).json()) as IndexStatus).state).toBe('empty');
    await stack.indexSync.syncNow();

    expect(await indexedIds(stack)).toEqual(simIds(stack));
    const status = (await (await stack.request('/bff/index/status')).json()) as IndexStatus;
    expect(status).toMatchObject({ state: 'ready', indexed: 3_500, belvo_count: 3_500, last_full_sync_at: '2026-11-25T12:00:00.000Z', progress: null, last_error: null });
    // Four pages for the links up to the start (3,500 at 1,000 a page), one for newer links.
    const pages = linkPages(stack).map((request) => new URL(request.url).searchParams);
    expect(pages).toHaveLength(5);
    expect(pages.every((query) => query.get('page_size') === '1000')).toBe(true);
    expect(pages[0]?.get('created_at__lte')).toBe('2026-11-25T12:00:00.000Z');
    expect(pages[4]?.get('created_at__gte')).toBe('2026-11-25T12:00:00.000Z');
    // A daily snapshot, and no invented history.
    const health = (await (await stack.request('/bff/health')).json()) as Health;
    expect(health.history).toEqual([expect.objectContaining({ day: '2026-11-25', total: 3_500 })]);
  });

  it('misses no link when links are created and deleted during the scan, and drops vanished links at the next sync', async () => {
    let pagesSeen = 0;
    const created: string[] = [];
    const deletedAhead: string[] = [];
    let deletedBehind = '';
    const stack: TestStack = await stackWith({
      sim: { linkCount: 4_200 },
      beforeBelvo: async (request) => {
        if (request.method !== 'GET' || new URL(request.url).pathname !== '/api/links/') return;
        pagesSeen += 1;
        if (pagesSeen !== 3) return;
        // Between pages 2 and 3: two links are registered, three not yet read and one already read are deleted.
        const links = stack.sim.links();
        deletedAhead.push(...links.slice(3_000, 3_003).map((link) => link.id));
        deletedBehind = links[10]?.id ?? '';
        for (const id of [...deletedAhead, deletedBehind]) expect((await stack.belvo(`/api/links/${id}/`, { method: 'DELETE' })).status).toBe(204);
        for (const username of ['mid_sync_one', 'mid_sync_two']) {
          const response = await stack.belvo('/api/links/', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ institution: 'erebor_mx_retail', username, password: 'pass_valid' }),
          });
          created.push(((await response.json()) as { id: string }).id);
        }
      },
    });
    stack.clock.advance(1_000);
    await stack.indexSync.syncNow();

    const ids = await indexedIds(stack);
    // Every link Belvo has now is indexed (the new ones too); the three deleted ahead never appear.
    expect(simIds(stack).filter((id) => !ids.includes(id))).toEqual([]);
    for (const id of created) expect(ids).toContain(id);
    for (const id of deletedAhead) expect(ids).not.toContain(id);
    // The one deleted after it was read is only known gone at the next full sync.
    expect(ids).toContain(deletedBehind);
    await stack.indexSync.syncNow();
    expect(await indexedIds(stack)).toEqual(simIds(stack));
  });

  it('does not bring back a link deleted through Linkdesk after its page was read but before it was written', async () => {
    let pagesSeen = 0;
    let deleted = '';
    const stack: TestStack = await stackWith({
      sim: { linkCount: 3_500 },
      beforeBelvo: async (request) => {
        if (request.method !== 'GET' || new URL(request.url).pathname !== '/api/links/') return;
        pagesSeen += 1;
        if (pagesSeen !== 3) return;
        // Pages are written five at a time: the first page's links are read and not yet written.
        const first = (await stack.belvo('/api/links/?page_size=1000&created_at__lte=2026-11-25T12:00:01.000Z').then((response) => response.json())) as { results: { id: string }[] };
        deleted = first.results[5]?.id ?? '';
        expect((await stack.as('support')(`/api/links/${deleted}/`, { method: 'DELETE', headers: { 'x-linkdesk-csrf': '1' } })).status).toBe(204);
      },
    });
    stack.clock.advance(1_000);
    await stack.indexSync.syncNow();
    expect(deleted).not.toBe('');
    expect(await indexedIds(stack)).toEqual(simIds(stack));
    expect(await indexedIds(stack)).not.toContain(deleted);
  });

  it('resumes an interrupted sync after a restart from the saved page, not from the start', async () => {
    const db = await openDatabase(':memory:');
    const clock = createManualClock();
    let stopAfter = 3;
    const first: TestStack = await stackWith({
      db,
      clock,
      sim: { linkCount: 6_000 },
      beforeBelvo: (request) => {
        if (new URL(request.url).pathname === '/api/links/' && --stopAfter === 0) void first.indexSync.stop();
      },
    });
    first.indexSync.requestSync('manual');
    await first.indexSync.settled();
    const interrupted = (await (await first.request('/bff/index/status')).json()) as IndexStatus;
    // Three pages; each next page starts with the previous page's oldest link.
    expect(interrupted.indexed).toBeGreaterThan(2_990);
    expect(interrupted.indexed).toBeLessThanOrEqual(3_000);
    expect(interrupted).toMatchObject({ state: 'syncing', last_full_sync_at: null, progress: null });
    await first.close();

    // The same Belvo account (same seed and time), a new Linkdesk process on the same database.
    const second = await stackWith({ db, clock, sim: { linkCount: 6_000 } });
    second.indexSync.start();
    await vi.waitFor(async () => expect((await second.indexSync.status()).state).toBe('ready'), { timeout: 10_000 });
    await second.indexSync.stop();
    const resumedPages = linkPages(second).map((request) => new URL(request.url).searchParams);
    // Pages 4, 5, 6 (with the boundary link read twice, so 6,000 needs one more short page), then newer links.
    expect(resumedPages.length).toBeLessThanOrEqual(5);
    expect(resumedPages[0]?.get('created_at__lte')).not.toBe('2026-11-25T12:00:00.000Z');
    expect(await indexedIds(second)).toEqual(simIds(second));
    expect((await second.indexSync.status()).belvo_count).toBe(6_000);
  });
});

describe('Belvo throttling and failures', { timeout: 30_000 }, () => {
  it('backs off on 429, no sooner than Retry-After, and finishes', async () => {
    const stack = await stackWith({ sim: { linkCount: 1_500 } });
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '429', remaining: 2 });
    stack.indexSync.requestSync();
    await vi.waitFor(() => expect(linkPages(stack)).toHaveLength(1));
    expect(stack.limiter.state().background_paused_until).toBe(stack.clock.now() + 7_000);
    stack.clock.advance(6_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(linkPages(stack)).toHaveLength(1);
    stack.clock.advance(1_000);
    await vi.waitFor(() => expect(linkPages(stack)).toHaveLength(2));
    stack.clock.advance(7_000);
    await stack.indexSync.settled();
    expect(await stack.indexSync.status()).toMatchObject({ state: 'ready', indexed: 1_500, last_error: null });
  });

  it('retries a 500 after a backoff, and reports an error that does not go away with Belvo’s request_id', async () => {
    const stack = await stackWith({ sim: { linkCount: 500 } });
    stack.sim.faults.add({ route: 'GET /api/links/', kind: '500', remaining: 1 });
    stack.indexSync.requestSync();
    await vi.waitFor(() => expect(linkPages(stack)).toHaveLength(1));
    stack.clock.advance(1_000);
    await stack.indexSync.settled();
    expect((await stack.indexSync.status()).state).toBe('ready');

    stack.sim.faults.add({ route: 'GET /api/links/', kind: '403', remaining: 1 });
    await stack.indexSync.syncNow();
    const status = (await (await stack.request('/bff/index/status')).json()) as IndexStatus;
    expect(status.state).toBe('error');
    expect(status.last_error).toMatchObject({ http_status: 403, request_id: expect.stringMatching(/^[a-f0-9]{32}$/) });
    // The index still answers with what it had.
    expect(status.indexed).toBe(500);
  });
});

describe('kept current between syncs', { timeout: 30_000 }, () => {
  it('applies LINK webhooks, Linkdesk’s own deletes and registrations, and picks up new links in the incremental pass', async () => {
    const stack = await stackWith({ sim: { linkCount: 800 } });
    await stack.indexSync.syncNow();
    const read = async (id: string) =>
      ((await (await stack.request(`/bff/index/links?q=${id}`)).json()) as IndexLinksPage).results[0];

    // A recurrent update fails at Belvo: LINK invalid_credentials / token_required webhooks.
    const [first, second] = stack.sim.links().filter((link) => link.status === 'valid' && link.access_mode === 'recurrent');
    if (!first || !second) throw new Error('the seed has valid recurrent links');
    stack.sim.failRecurrentUpdate(first, 'invalid');
    stack.sim.failRecurrentUpdate(second, 'token_required');
    await vi.waitFor(async () => expect((await read(first.id))?.status).toBe('invalid'));
    await vi.waitFor(async () => expect((await read(second.id))?.status).toBe('token_required'));

    // Linkdesk's own synchronous delete.
    const victim = stack.sim.links()[5];
    if (!victim) throw new Error('no link');
    expect((await stack.request(`/api/links/${victim.id}/`, { method: 'DELETE' })).status).toBe(204);
    expect(await read(victim.id)).toBeUndefined();

    // An async delete: gone when Belvo's link_deleted webhook arrives.
    const later = stack.sim.links()[6];
    if (!later) throw new Error('no link');
    expect((await stack.request(`/api/links/${later.id}/`, { method: 'DELETE', headers: { 'X-Belvo-Request-Mode': 'async' } })).status).toBe(202);
    expect((await read(later.id))?.id).toBe(later.id);
    stack.clock.advance(3_000);
    await vi.waitFor(async () => expect(await read(later.id)).toBeUndefined());

    // A registration through Linkdesk is in the index at once.
    const registered = await stack.request('/api/links/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ institution: 'gringotts_mx_retail', username: 'new_user', password: 'pass_valid', external_id: 'fresh-user' }),
    });
    expect(registered.status).toBe(201);
    const link = (await registered.json()) as { id: string };
    expect((await read(link.id))?.external_id).toBe('fresh-user');

    // A link created outside Linkdesk arrives with the incremental pass: one request.
    stack.clock.advance(5_000);
    const outside = await stack.belvo('/api/links/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ institution: 'erebor_mx_retail', username: 'elsewhere', password: 'pass_valid' }),
    });
    const outsideId = ((await outside.json()) as { id: string }).id;
    const before = linkPages(stack).length;
    await stack.indexSync.incremental();
    expect(linkPages(stack).length - before).toBe(1);
    expect((await read(outsideId))?.id).toBe(outsideId);
  });
});

describe('the shared rate limit', { timeout: 30_000 }, () => {
  it('keeps the last slots of a window for people, and frees slots as the window moves', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ clock, limit: 5, windowMs: 30_000, reserveForInteractive: 2 });
    for (let i = 0; i < 3; i += 1) await limiter.acquire('background');
    let backgroundSent = false;
    const waiting = limiter.acquire('background').then(() => (backgroundSent = true));
    await limiter.acquire('interactive');
    await limiter.acquire('interactive');
    expect(limiter.state().used).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(backgroundSent).toBe(false);
    clock.advance(30_000);
    await waiting;
    expect(backgroundSent).toBe(true);
  });
});
