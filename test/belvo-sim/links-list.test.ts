import { describe, expect, it } from 'vitest';
import { linkStatuses, refreshRates, type Link, type LinksPage } from '../../src/contract/links.ts';
import { requestIdPattern } from '../../src/contract/errors.ts';
import { defaultSimAuthorization as auth, defaultSimCredentials } from '../../src/belvo-sim/create-belvo-sim.ts';
import { createSimHarness } from '../support/sim.ts';

function setup(seed = 1) {
  const { sim } = createSimHarness({ seed });
  const get = (path: string, headers: Record<string, string> = { authorization: auth }) =>
    sim.fetch(`https://sandbox.belvo.test${path}`, { headers });
  const page = async (query: string) => {
    const response = await get(`/api/links/?${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as LinksPage;
  };
  return { sim, get, page };
}

async function expectBelvoError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as { code: string; message: string; request_id: string }[];
  expect(Array.isArray(body)).toBe(true);
  expect(body[0]?.code).toBe(code);
  expect(body[0]?.message).toEqual(expect.any(String));
  expect(body[0]?.request_id).toMatch(requestIdPattern);
  return body;
}

describe('simulator authentication', () => {
  it('answers a missing key with 401 in Belvo’s error array', async () => {
    const { get } = setup();
    const body = await expectBelvoError(await get('/api/links/', {}), 401, 'authentication_failed');
    expect(body[0]?.message).toBe('Invalid Secret Keys');
  });

  it('answers a wrong password with 401 and a Basic challenge', async () => {
    const { get } = setup();
    const wrong = `Basic ${Buffer.from(`${defaultSimCredentials.secretId}:nope`).toString('base64')}`;
    const response = await get('/api/links/', { authorization: wrong });
    expect(response.headers.get('www-authenticate')).toContain('Basic');
    await expectBelvoError(response, 401, 'authentication_failed');
  });

  it('gives every error a fresh 32-hex request_id', async () => {
    const { get } = setup();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const [error] = await expectBelvoError(await get('/api/links/', {}), 401, 'authentication_failed');
      ids.add(error?.request_id ?? '');
    }
    expect(ids.size).toBe(5);
  });

  it('rejects a method Belvo does not allow on the path with 405', async () => {
    const { sim } = setup();
    const response = await sim.fetch('https://sandbox.belvo.test/api/links/', { method: 'PUT', headers: { authorization: auth } });
    await expectBelvoError(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('GET, POST, PATCH');
  });
});

describe('seeded links', () => {
  it('holds at least 1,200 realistic links covering every status, mode and refresh rate', () => {
    const { sim } = setup();
    const links = sim.links();
    expect(links.length).toBeGreaterThanOrEqual(1200);
    for (const status of linkStatuses) expect(links.some((link) => link.status === status)).toBe(true);
    expect(new Set(links.map((link) => link.access_mode))).toEqual(new Set(['single', 'recurrent']));
    for (const rate of refreshRates) expect(links.some((link) => link.refresh_rate === rate)).toBe(true);
    expect(links.filter((link) => link.access_mode === 'single').every((link) => link.refresh_rate === null)).toBe(true);
    const institutions = new Set(links.map((link) => link.institution));
    expect([...institutions].some((name) => name.endsWith('_fiscal'))).toBe(true);
    expect([...institutions].some((name) => name.endsWith('_employment'))).toBe(true);
    expect([...institutions].some((name) => name.endsWith('_retail'))).toBe(true);
  });

  it('has about a tenth orphans and some duplicate institution users', () => {
    const { sim } = setup();
    const links = sim.links();
    const orphans = links.filter((link) => link.external_id === null).length / links.length;
    expect(orphans).toBeGreaterThan(0.07);
    expect(orphans).toBeLessThan(0.14);
    const byUser = new Map<string, number>();
    for (const link of links) byUser.set(link.institution_user_id ?? '', (byUser.get(link.institution_user_id ?? '') ?? 0) + 1);
    expect([...byUser.values()].filter((count) => count > 1).length).toBeGreaterThanOrEqual(10);
  });

  it('is deterministic for a seed and a start time, and differs for another seed', () => {
    expect(setup(7).sim.links()).toEqual(setup(7).sim.links());
    expect(setup(8).sim.links()[0]?.id).not.toBe(setup(7).sim.links()[0]?.id);
  });

  it('dates links in the past, accessed after created, unconfirmed ones never accessed', () => {
    const { sim } = setup();
    const now = Date.parse('2026-11-25T12:00:00Z');
    for (const link of sim.links()) {
      expect(Date.parse(link.created_at)).toBeLessThan(now);
      expect(link.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      if (link.last_accessed_at) expect(Date.parse(link.last_accessed_at)).toBeGreaterThanOrEqual(Date.parse(link.created_at));
      if (link.status === 'unconfirmed') expect(link.last_accessed_at).toBeNull();
      expect(link.institution_user_id).toMatch(/^[A-Za-z0-9_=-]{44}$/);
    }
  });
});

describe('GET /api/links/ pagination', () => {
  it('defaults to 100 per page, newest first, with absolute next and no previous', async () => {
    const { page, sim } = setup();
    const first = await page('');
    expect(first.count).toBe(sim.links().length);
    expect(first.results).toHaveLength(100);
    expect(first.previous).toBeNull();
    expect(first.next).toBe('https://sandbox.belvo.test/api/links/?page=2');
    const created = first.results.map((link) => link.created_at);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('keeps every filter and the page size in next and previous', async () => {
    const { page } = setup();
    const second = await page('status=valid&page_size=5&page=2');
    const next = new URL(second.next ?? '');
    expect(Object.fromEntries(next.searchParams)).toEqual({ status: 'valid', page_size: '5', page: '3' });
    const previous = new URL(second.previous ?? '');
    // DRF drops `page` for the first page.
    expect(Object.fromEntries(previous.searchParams)).toEqual({ status: 'valid', page_size: '5' });
  });

  it('ends with next null on the last page', async () => {
    const { page } = setup();
    const { count } = await page('status=invalid&page_size=1000');
    const last = await page(`status=invalid&page_size=10&page=${Math.ceil(count / 10)}`);
    expect(last.next).toBeNull();
    expect(last.results.length).toBe(count % 10 || 10);
  });

  it('serves 1000 when asked for more, and the default for a page size it cannot read', async () => {
    const { page } = setup();
    expect((await page('page_size=5000')).results).toHaveLength(1000);
    expect((await page('page_size=0')).results).toHaveLength(100);
    expect((await page('page_size=abc')).results).toHaveLength(100);
  });

  it('answers a page past the end, zero or a word with 404 "Invalid page."', async () => {
    const { get } = setup();
    for (const bad of ['999', '0', 'two']) {
      const [error] = await expectBelvoError(await get(`/api/links/?page=${bad}`), 404, 'not_found');
      expect(error?.message).toBe('Invalid page.');
    }
  });

  it('returns an empty first page, not an error, when nothing matches', async () => {
    const { page } = setup();
    const empty = await page('external_id=nobody-has-this');
    expect(empty).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});

describe('GET /api/links/ filters', () => {
  const all = async () => setup().sim.links();

  it.each(linkStatuses)('status=%s returns only that status, and the four counts add up', async (status) => {
    const { page, sim } = setup();
    const result = await page(`status=${status}&page_size=1000`);
    expect(result.count).toBe(sim.links().filter((link) => link.status === status).length);
    expect(result.results.every((link) => link.status === status)).toBe(true);
  });

  it('status__in takes several statuses', async () => {
    const { page, sim } = setup();
    const result = await page('status__in=invalid,token_required&page_size=1');
    expect(result.count).toBe(sim.links().filter((link) => ['invalid', 'token_required'].includes(link.status)).length);
  });

  it('rejects a status Belvo does not have with 400 invalid_choice on the field', async () => {
    const { get } = setup();
    const [error] = await expectBelvoError(await get('/api/links/?status=broken'), 400, 'invalid_choice');
    expect(error).toMatchObject({ field: 'status' });
  });

  it('filters by external_id and external_id__in', async () => {
    const links = await all();
    const ids = [...new Set(links.map((link) => link.external_id).filter((id): id is string => id !== null))].slice(0, 3);
    const { page } = setup();
    const one = await page(`external_id=${ids[0]}&page_size=1000`);
    expect(one.count).toBe(links.filter((link) => link.external_id === ids[0]).length);
    expect(one.results.every((link) => link.external_id === ids[0])).toBe(true);
    const many = await page(`external_id__in=${ids.join(',')}&page_size=1000`);
    expect(many.count).toBe(links.filter((link) => ids.includes(link.external_id ?? '')).length);
  });

  it('filters by institution, institution__in, access_mode and refresh_rate together', async () => {
    const links = await all();
    const { page } = setup();
    const result = await page('institution__in=erebor_mx_retail,tatooine_mx_fiscal&access_mode=recurrent&refresh_rate=7d&page_size=1000');
    const expected = links.filter(
      (link) =>
        ['erebor_mx_retail', 'tatooine_mx_fiscal'].includes(link.institution) && link.access_mode === 'recurrent' && link.refresh_rate === '7d',
    );
    expect(result.count).toBe(expected.length);
    expect(result.count).toBeGreaterThan(0);
    const single = await page('institution=tatooine_mx_fiscal&page_size=1000');
    expect(single.results.every((link) => link.institution === 'tatooine_mx_fiscal')).toBe(true);
  });

  it('finds duplicates by institution_user_id', async () => {
    const links = await all();
    const counts = new Map<string, Link[]>();
    for (const link of links) counts.set(link.institution_user_id ?? '', [...(counts.get(link.institution_user_id ?? '') ?? []), link]);
    const [userId, group] = [...counts.entries()].find(([, found]) => found.length > 1) ?? ['', []];
    const { page } = setup();
    const result = await page(`institution_user_id=${encodeURIComponent(userId)}`);
    expect(result.results.map((link) => link.id).sort()).toEqual(group.map((link) => link.id).sort());
  });

  it('filters created_at by date, by bounds and by range', async () => {
    const links = await all();
    const { page } = setup();
    const day = links[10]?.created_at.slice(0, 10) ?? '';
    const onDay = await page(`created_at=${day}&page_size=1000`);
    expect(onDay.count).toBe(links.filter((link) => link.created_at.startsWith(day)).length);

    const cutoff = '2026-06-01T00:00:00Z';
    const after = await page(`created_at__gte=${cutoff}&page_size=1`);
    const before = await page(`created_at__lt=${cutoff}&page_size=1`);
    expect(after.count + before.count).toBe(links.length);

    const range = await page('created_at__range=2026-01-01,2026-03-31&page_size=1000');
    expect(range.count).toBe(links.filter((link) => link.created_at >= '2026-01-01' && link.created_at < '2026-04-01').length);
    expect(range.count).toBeGreaterThan(0);
  });

  it('rejects a date it cannot read with 400 on that field', async () => {
    const { get } = setup();
    const [error] = await expectBelvoError(await get('/api/links/?created_at__gt=yesterday'), 400, 'invalid');
    expect(error).toMatchObject({ field: 'created_at__gt' });
  });

  it('ignores query keys it does not know, as Belvo (DRF) does', async () => {
    const { page, sim } = setup();
    expect((await page('colour=blue')).count).toBe(sim.links().length);
  });
});

describe('GET /api/links/{id}/', () => {
  it('returns the link', async () => {
    const { get, sim } = setup();
    const link = sim.links()[3];
    const response = await get(`/api/links/${link?.id}/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(link);
  });

  it('answers an unknown or malformed id with 404 not_found "Not found"', async () => {
    const { get } = setup();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const [error] = await expectBelvoError(await get(`/api/links/${id}/`), 404, 'not_found');
      expect(error?.message).toBe('Not found');
    }
  });
});
