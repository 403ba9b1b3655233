import { sql } from 'kysely';
import pg from 'pg';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/contract/clock.ts';
import type { LinkdeskEvent } from '../../src/contract/bff/events.ts';
import { holdLease, type LeasedWork } from '../../src/server/background/lease.ts';
import { createSharedRateLimiter } from '../../src/server/belvo/rate-limiter.ts';
import { createEventBus } from '../../src/server/events.ts';
import { createPostgresFanOut, type PostgresFanOut } from '../../src/server/events-postgres.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createInFlight } from '../../src/server/services/in-flight.ts';
import { createMfaSessions } from '../../src/server/services/mfa-sessions.ts';
import { createFlightStore } from '../../src/server/store/in-flight.ts';
import { createAuditLog } from '../../src/server/store/audit.ts';
import { createLeaseStore } from '../../src/server/store/leases.ts';
import { createMfaSessionStore } from '../../src/server/store/mfa-sessions.ts';
import { createUpstreamWindowStore } from '../../src/server/store/upstream-window.ts';
import { backends, freshDatabase, postgresUrl, type Backend } from '../support/postgres.ts';

/**
 * What several instances on one database need beyond the stores: a lease so that background work
 * runs on one of them, and live updates that reach dashboards connected to any of them. "Instances"
 * are separate connection pools (and, for events, separate listening connections) to one database.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function captureLogs() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  return { logger, lines };
}

async function database(backend: Backend) {
  const fresh = await freshDatabase(backend);
  cleanups.push(fresh.drop);
  return fresh;
}

describe.each(backends())('the background lease on %s', (backend) => {
  it('is taken by one holder at a time, renewed by it, and free to another once it expires', async () => {
    const fresh = await database(backend);
    const [a, b] = [createLeaseStore(await fresh.connect()), createLeaseStore(await fresh.connect())];
    const now = Date.parse('2026-11-26T12:00:00Z');
    // Both ask at the same moment: exactly one wins, and both agree who.
    const first = await Promise.all([a.acquire('background', 'a', now, now + 25_000), b.acquire('background', 'b', now, now + 25_000)]);
    expect(first[0].holder).toBe(first[1].holder);
    const winner = first[0].holder;
    const [held, other] = winner === 'a' ? [a, b] : [b, a];
    const otherName = winner === 'a' ? 'b' : 'a';
    expect(await held.acquire('background', winner, now + 10_000, now + 35_000)).toEqual({ holder: winner, expires_at: now + 35_000 });
    expect(await other.acquire('background', otherName, now + 30_000, now + 55_000)).toEqual({ holder: winner, expires_at: now + 35_000 });
    // The holder stopped renewing (it died): once its lease ran out the other takes it, and the old
    // holder, coming back, finds it taken.
    expect(await other.acquire('background', otherName, now + 35_000, now + 60_000)).toEqual({ holder: otherName, expires_at: now + 60_000 });
    expect((await held.acquire('background', winner, now + 36_000, now + 61_000)).holder).toBe(otherName);
    await other.release('background', winner);
    expect((await held.current('background'))?.holder).toBe(otherName);
    await other.release('background', otherName);
    expect(await held.current('background')).toBeNull();
  });

  it('runs the work only on the holder, and on another instance when the holder lets go or stops renewing', async () => {
    const fresh = await database(backend);
    const clock = createManualClock();
    const { logger, lines } = captureLogs();
    const running = new Set<string>();
    const work = (name: string) => (): LeasedWork => ({
      start: () => void running.add(name),
      stop: async () => void running.delete(name),
    });
    const storeA = createLeaseStore(await fresh.connect());
    const a = holdLease({ leases: storeA, name: 'background', holder: 'a', clock, logger, work: work('a') });
    await expect.poll(() => [...running]).toEqual(['a']);
    const b = holdLease({ leases: createLeaseStore(await fresh.connect()), name: 'background', holder: 'b', clock, logger, work: work('b') });
    cleanups.push(() => b.stop());
    // B asked and lost; renewals keep A the holder for as long as it runs.
    await expect.poll(async () => lines.filter((line) => line.includes('holding the background lease')).length).toBe(1);
    for (let i = 0; i < 4; i += 1) {
      clock.advance(10_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([...running]).toEqual(['a']);
    expect(a.holding()).toBe(true);
    expect(b.holding()).toBe(false);
    // A stops cleanly: it lets go, and B takes over when it next asks.
    await a.stop();
    expect([...running]).toEqual([]);
    clock.advance(10_000);
    await expect.poll(() => [...running]).toEqual(['b']);
    expect(b.holding()).toBe(true);
  });

  it('a holder that cannot renew stops its work before its lease can pass to another instance', async () => {
    const fresh = await database(backend);
    const clock = createManualClock();
    const { logger, lines } = captureLogs();
    const store = createLeaseStore(await fresh.connect());
    let broken = false;
    const failing = { ...store, acquire: (...args: Parameters<typeof store.acquire>) => (broken ? Promise.reject(new Error('connection lost')) : store.acquire(...args)) };
    let running = false;
    const holder = holdLease({ leases: failing, name: 'background', holder: 'a', clock, logger, work: () => ({ start: () => void (running = true), stop: async () => void (running = false) }) });
    cleanups.push(() => holder.stop());
    await expect.poll(() => running).toBe(true);
    const takenAt = clock.now();
    broken = true;
    // Renewals fail from now on; the lease taken at `takenAt` lasts until takenAt + 25 s.
    while (running) {
      clock.advance(1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(clock.now() - takenAt).toBeLessThanOrEqual(21_000);
    }
    expect(clock.now() - takenAt).toBeGreaterThanOrEqual(19_000);
    expect(lines.some((line) => line.includes('stopping background work here'))).toBe(true);
  });
});

describe.skipIf(!postgresUrl())('live updates across instances (PostgreSQL LISTEN/NOTIFY)', () => {
  async function instance(location: string, name: string) {
    const fresh = { location };
    const { logger, lines } = captureLogs();
    const { openDatabase } = await import('../../src/server/store/database.ts');
    const db = await openDatabase(fresh.location, { poolSize: 2 });
    const fanOut: PostgresFanOut = createPostgresFanOut({ url: fresh.location, db, instance: name, logger, pingMs: 200 });
    const events = createEventBus({ relay: fanOut });
    await fanOut.listen((hint) => events.receive(hint));
    const dashboard: LinkdeskEvent[] = [];
    const local: LinkdeskEvent[] = [];
    events.subscribe((event) => dashboard.push({ ...event }), { remote: true });
    events.subscribe((event) => local.push({ ...event }));
    cleanups.push(async () => {
      await fanOut.close();
      await db.destroy();
    });
    return { events, dashboard, local, lines, db };
  }

  it('an event published on one instance reaches every instance’s dashboards exactly once, and local-only listeners only where it happened', async () => {
    const fresh = await database('postgres');
    await fresh.connect();
    const [a, b, c] = [await instance(fresh.location, 'a'), await instance(fresh.location, 'b'), await instance(fresh.location, 'c')];
    a.events.publish({ type: 'link-deleted', link_id: '0d3ffb69-f83b-456e-ad8e-208d0998d71d' });
    b.events.publish({ type: 'job-changed', job_id: 'job-1' });
    await expect.poll(() => c.dashboard.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Each instance's own events come in publishing order; between instances there is no order.
    for (const each of [a, b, c]) {
      expect(each.dashboard).toHaveLength(2);
      expect(each.dashboard).toEqual(expect.arrayContaining([
        { type: 'link-deleted', link_id: '0d3ffb69-f83b-456e-ad8e-208d0998d71d' },
        { type: 'job-changed', job_id: 'job-1' },
      ]));
    }
    expect(a.local).toEqual([{ type: 'link-deleted', link_id: '0d3ffb69-f83b-456e-ad8e-208d0998d71d' }]);
    expect(b.local).toEqual([{ type: 'job-changed', job_id: 'job-1' }]);
    expect(c.local).toEqual([]);
  });

  it('only the hint travels: a link body stays on the instance that had it, and an oversized id is dropped rather than the event', async () => {
    const fresh = await database('postgres');
    await fresh.connect();
    const [a, b] = [await instance(fresh.location, 'a'), await instance(fresh.location, 'b')];
    a.events.publish({ type: 'link-changed', link_id: 'l-1', status: 'invalid', link: { id: 'l-1' } as never });
    a.events.publish({ type: 'link-changed', link_id: 'x'.repeat(10_000) });
    await expect.poll(() => b.dashboard.length).toBe(2);
    expect(b.dashboard).toEqual([{ type: 'link-changed', link_id: 'l-1' }, { type: 'link-changed' }]);
  });

  it('listens again after its connection is dropped, says so in the log, and tells dashboards to re-read', async () => {
    const fresh = await database('postgres');
    const admin = await fresh.connect();
    const [a, b] = [await instance(fresh.location, 'a'), await instance(fresh.location, 'b')];
    const terminated = await sql<{ pid: number }>`
      SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE application_name = 'linkdesk-events b'`.execute(admin);
    expect(terminated.rows).toHaveLength(1);
    await expect.poll(() => b.lines.some((line) => line.includes('listening connection to PostgreSQL was lost')), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => b.lines.some((line) => line.includes('listening again')), { timeout: 5_000 }).toBe(true);
    expect(b.dashboard.map((event) => event.type)).toEqual(['operations-changed', 'job-changed']);
    a.events.publish({ type: 'link-deleted', link_id: 'l-2' });
    await expect.poll(() => b.dashboard.at(-1)).toEqual({ type: 'link-deleted', link_id: 'l-2' });
  });
});

describe.skipIf(!postgresUrl())('the shared upstream rate limit (PostgreSQL)', () => {
  const backend = 'postgres' as const;
  async function limiters(count: number) {
    const fresh = await database(backend);
    const clock = createManualClock();
    const made = [];
    for (let i = 0; i < count; i += 1) {
      made.push(createSharedRateLimiter({ clock, limit: 10, windowMs: 30_000, reserveForInteractive: 3, window: createUpstreamWindowStore(await fresh.connect()) }));
    }
    return { clock, limiters: made };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('three instances together send at most the limit in a window, and the rest when it frees', async () => {
    const { clock, limiters: [a, b, c] } = await limiters(3);
    let granted = 0;
    const all = Array.from({ length: 15 }, (_, i) => [a, b, c][i % 3]!.acquire('interactive').then(() => (granted += 1)));
    await expect.poll(() => granted).toBe(10);
    await settle();
    expect(granted).toBe(10);
    clock.advance(30_000);
    await Promise.all(all);
    expect(granted).toBe(15);
  });

  it('keeps the interactive reserve across instances, and pauses background work everywhere after a 429', async () => {
    const { clock, limiters: [a, b] } = await limiters(2);
    let background = 0;
    const jobs = Array.from({ length: 9 }, (_, i) => [a, b][i % 2]!.acquire('background').then(() => (background += 1)));
    await expect.poll(() => background).toBe(7);
    await settle();
    expect(background).toBe(7);
    // People still get the three slots kept for them, on either instance.
    await Promise.all([a!.acquire('interactive'), b!.acquire('interactive'), b!.acquire('interactive')]);
    // Belvo said 429 to A: B's background work waits too, past the window's own freeing.
    await a!.pauseBackgroundUntil(clock.now() + 60_000);
    clock.advance(30_000);
    await settle();
    expect(background).toBe(7);
    await b!.acquire('interactive');
    clock.advance(30_000);
    await Promise.all(jobs);
    expect(background).toBe(9);
  });
});

describe.skipIf(!postgresUrl())('identical requests on different instances (PostgreSQL)', () => {
  async function twoInstances() {
    const fresh = await database('postgres');
    const clock = createManualClock();
    const [a, b] = [await fresh.connect(), await fresh.connect()];
    return { clock, a: createInFlight({ flights: createFlightStore(a), clock, pollMs: 10 }), b: createInFlight({ flights: createFlightStore(b), clock, pollMs: 10 }), storeA: createFlightStore(a) };
  }
  const answer = (status: number) => ({ status, body: JSON.stringify({ request_id: 'r-1' }), headers: { 'content-type': 'application/json' } });

  it('reach Belvo once: the second instance waits for the first one’s outcome and shares it', async () => {
    const { a, b } = await twoInstances();
    let sent = 0;
    const work = async () => {
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return answer(204);
    };
    const results = await Promise.all([a.run('DELETE l-1 sync', work), b.run('DELETE l-1 sync', work), a.run('DELETE l-1 sync', work), b.run('DELETE l-2 sync', work)]);
    expect(sent).toBe(2);
    expect(results.slice(0, 3).map((result) => result.outcome)).toEqual([answer(204), answer(204), answer(204)]);
    expect(results.slice(0, 3).filter((result) => !result.shared)).toHaveLength(1);
    expect(results[3]).toEqual({ outcome: answer(204), shared: false });
    // Once answered, the same request again is a new one (the operation itself then says "already deleted").
    expect(await b.run('DELETE l-1 sync', work)).toEqual({ outcome: answer(204), shared: false });
    expect(sent).toBe(3);
  });

  it('a failed flight leaves the waiting instance to do its own, and a flight whose instance died is taken over', async () => {
    const { clock, a, b, storeA } = await twoInstances();
    let sent = 0;
    const failing = async () => {
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('database gone');
    };
    const working = async () => {
      sent += 1;
      return answer(202);
    };
    const [first, second] = await Promise.allSettled([a.run('REFRESH l-3', failing), new Promise((resolve) => setTimeout(resolve, 30)).then(() => b.run('REFRESH l-3', working))]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({ status: 'fulfilled', value: { outcome: answer(202), shared: false } });
    expect(sent).toBe(2);
    // Claimed, without a connection to tell whether it lives, two minutes ago: taken over.
    await storeA.claim('REFRESH l-4', 'quiet-instance', clock.now(), clock.now() - 1);
    clock.advance(120_001);
    expect(await b.run('REFRESH l-4', working)).toEqual({ outcome: answer(202), shared: false });
  });

  it('a flight whose instance’s connection is gone is taken over at once; one whose instance lives is waited on', async () => {
    const fresh = await database('postgres');
    const clock = createManualClock();
    const db = await fresh.connect();
    const b = createInFlight({ flights: createFlightStore(db), clock, pollMs: 10 });
    let sent = 0;
    const working = async () => {
      sent += 1;
      return answer(204);
    };
    // Killed mid-flight: its listening connection left PostgreSQL with it.
    await createFlightStore(db, { owner: 'linkdesk-events killed-1' }).claim('DELETE l-5 async', 'killed-flight', clock.now(), clock.now() - 120_000);
    expect(await b.run('DELETE l-5 async', working)).toEqual({ outcome: answer(204), shared: false });
    // Alive: its connection is there, so the identical request waits for its outcome.
    const alive = new pg.Client({ connectionString: fresh.location, application_name: 'linkdesk-events alive-1' });
    await alive.connect();
    cleanups.push(() => alive.end());
    const owner = createFlightStore(db, { owner: 'linkdesk-events alive-1' });
    await owner.claim('DELETE l-6 async', 'alive-flight', clock.now(), clock.now() - 120_000);
    const waiting = b.run('DELETE l-6 async', working);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sent).toBe(1);
    await owner.finish('DELETE l-6 async', 'alive-flight', JSON.stringify(answer(202)), clock.now());
    expect(await waiting).toEqual({ outcome: answer(202), shared: true });
    expect(sent).toBe(1);
  });
});

describe.each(backends())('the audit key on %s', (backend) => {
  it('tells whether the log was chained with this key, so an instance or CLI with another refuses to write', async () => {
    const fresh = await database(backend);
    const db = await fresh.connect();
    const clock = createManualClock();
    const ours = createAuditLog(db, clock, { key: Buffer.alloc(32, 1) });
    const theirs = createAuditLog(db, clock, { key: Buffer.alloc(32, 2) });
    expect(await theirs.keyFits()).toBe(true);
    await ours.note('user.add', { actor: 'cli', role: 'cli' }, 'succeeded');
    expect(await ours.keyFits()).toBe(true);
    expect(await theirs.keyFits()).toBe(false);
  });
});

describe.each(backends())('MFA challenges on %s', (backend) => {
  it('a refresh paused by a 428 on one instance is known to another when the token arrives there, by hash only', async () => {
    const fresh = await database(backend);
    const clock = createManualClock();
    const [a, b] = [createMfaSessions(clock, createMfaSessionStore(await fresh.connect())), createMfaSessions(clock, createMfaSessionStore(await fresh.connect()))];
    const challenge = [{ code: 'token_required', message: 'A token is required', session: 'belvo-session-2b1c', expiry: 600, link: 'l-9' }];
    await a.remember(JSON.stringify(challenge), { purpose: 'refresh', resources: ['ACCOUNTS'], linkId: 'l-9' });
    expect(await b.peek('belvo-session-2b1c')).toEqual({ linkId: 'l-9', purpose: 'refresh', resources: ['ACCOUNTS'], expiresAt: clock.now() + 600_000 });
    const db = await fresh.connect();
    expect(JSON.stringify(await db.selectFrom('mfa_sessions').selectAll().execute())).not.toContain('belvo-session-2b1c');
    expect(await b.take('belvo-session-2b1c')).toMatchObject({ purpose: 'refresh' });
    expect(await a.peek('belvo-session-2b1c')).toBeNull();
    // Past Belvo's expiry the challenge is gone.
    await a.remember(JSON.stringify([{ ...challenge[0], session: 'belvo-session-late', expiry: '60' }]), { purpose: 'register', resources: null });
    clock.advance(61_000);
    expect(await b.peek('belvo-session-late')).toBeNull();
  });
});
