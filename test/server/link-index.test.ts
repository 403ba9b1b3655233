import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthDuplicateGroups, indexCsvColumns, type DuplicateGroup, type DuplicateGroupsPage, type Health, type IndexLinksPage } from '../../src/contract/bff/link-index.ts';
import type { Link, RefreshRate } from '../../src/contract/links.ts';
import { backends } from '../support/postgres.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * The index-backed list, CSV and health on a 20,000-link account, each number checked against a
 * count made here, independently, from the simulator's own data.
 */
let stack: TestStack;
let links: Link[];
const now = Date.parse('2026-11-25T12:00:00Z');
const dayMs = 86_400_000;

const list = async (query: string) => {
  const response = await stack.request(`/bff/index/links?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as IndexLinksPage;
};
const created = (link: Link) => Date.parse(link.created_at);
const accessed = (link: Link) => (link.last_accessed_at ? Date.parse(link.last_accessed_at) : 0);
const duplicateKeys = () => {
  const groups = new Map<string, Link[]>();
  for (const link of links) {
    if (!link.institution_user_id) continue;
    const key = `${link.institution} ${link.institution_user_id}`;
    groups.set(key, [...(groups.get(key) ?? []), link]);
  }
  return new Map([...groups].filter(([, members]) => members.length > 1));
};


// The same answers from the index on SQLite and on PostgreSQL.
describe.each(backends())('on %s', (backend) => {
  beforeAll(async () => {
    stack = await createTestStack({ backend, sim: { linkCount: 20_000 } });
    // A link whose external_id a spreadsheet would read as a formula (Belvo allows a leading dash).
    const risky = await stack.belvo('/api/links/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ institution: 'erebor_mx_retail', username: 'risky', password: 'pass_valid', external_id: '-2-1_cmd' }),
    });
    expect(risky.status).toBe(201);
    await stack.indexSync.syncNow();
    links = stack.sim.links();
  }, 60_000);
  afterAll(() => stack.close());
  describe('GET /bff/index/links', { timeout: 30_000 }, () => {
    it('filters and sorts like a count over the simulator’s data', async () => {
      const invalid = links.filter((link) => link.status === 'invalid').sort((a, b) => created(a) - created(b) || (a.id < b.id ? -1 : 1));
      const page = await list('status=invalid&sort=created_at&order=asc&page_size=1000');
      expect(page.count).toBe(invalid.length);
      expect(page.results.map((link) => link.id)).toEqual(invalid.slice(0, 1000).map((link) => link.id));

      const erebor = links.filter((link) => link.institution === 'erebor_mx_retail').sort((a, b) => accessed(b) - accessed(a) || (a.id < b.id ? 1 : -1));
      const byAccess = await list('institution=erebor_mx_retail&sort=last_accessed_at&order=desc&page_size=50&page=2');
      expect(byAccess.count).toBe(erebor.length);
      expect(byAccess.results.map((link) => link.id)).toEqual(erebor.slice(50, 100).map((link) => link.id));

      const duplicated = new Set([...duplicateKeys().values()].flat().map((link) => link.id));
      const cases: [string, (link: Link) => boolean][] = [
        ['access_mode=single', (link) => link.access_mode === 'single'],
        ['refresh_rate=6h&status=valid', (link) => link.refresh_rate === '6h' && link.status === 'valid'],
        ['orphan=true', (link) => link.external_id === null],
        ['orphan=false&institution=gotham_mx_business', (link) => link.external_id !== null && link.institution === 'gotham_mx_business'],
        ['duplicate=true', (link) => duplicated.has(link.id)],
        ['created_from=2026-01-01&created_to=2026-03-31', (link) => link.created_at >= '2026-01-01' && link.created_at < '2026-04-01'],
        ['created_from=2026-06-01T00:00:00Z&status=token_required', (link) => created(link) >= Date.parse('2026-06-01T00:00:00Z') && link.status === 'token_required'],
      ];
      for (const [query, predicate] of cases) expect((await list(`${query}&page_size=1`)).count, query).toBe(links.filter(predicate).length);

      const byStatus = await list('sort=status&order=asc&page_size=1000&page=20');
      const statuses = byStatus.results.map((link) => link.status);
      expect([...statuses].sort()).toEqual(statuses);
    });

    it('gives the counts per status under the other filters in the same answer', async () => {
      const page = await list('institution=gringotts_br_retail&status=valid&page_size=1');
      const here = links.filter((link) => link.institution === 'gringotts_br_retail');
      expect(page.counts).toEqual({
        valid: here.filter((link) => link.status === 'valid').length,
        invalid: here.filter((link) => link.status === 'invalid').length,
        unconfirmed: here.filter((link) => link.status === 'unconfirmed').length,
        token_required: here.filter((link) => link.status === 'token_required').length,
      });
      expect(page.count).toBe(page.counts.valid);
      expect(page.as_of).toBe('2026-11-25T12:00:00.000Z');
      expect(page.state).toBe('ready');
    });

    it('finds a link by full id, 8-character id, external_id prefix or institution_user_id', async () => {
      const target = links.find((link) => link.external_id?.startsWith('cust_')) as Link;
      expect((await list(`q=${target.id.toUpperCase()}`)).results.map((link) => link.id)).toEqual([target.id]);
      expect((await list(`q=${target.id.slice(0, 8)}`)).results.map((link) => link.id)).toContain(target.id);
      const prefix = (target.external_id ?? '').slice(0, 8);
      expect((await list(`q=${prefix}&page_size=1000`)).count).toBe(links.filter((link) => link.external_id?.startsWith(prefix) || link.id.startsWith(prefix)).length);
      const [key, group] = [...duplicateKeys()][0] ?? [];
      if (!key || !group) throw new Error('the seed has duplicates');
      const byUser = await list(`q=${encodeURIComponent(group[0]?.institution_user_id ?? '')}`);
      expect(byUser.results.map((link) => link.id).sort()).toEqual(group.map((link) => link.id).sort());
      expect(byUser.results.every((link) => link.duplicates === group.length - 1)).toBe(true);
    });

    it('answers a bad parameter with 400 in Belvo’s shape naming it, and never calls Belvo', async () => {
      const before = stack.belvoCalls.length;
      const cases: [string, string][] = [
        ['page_size=1001', 'page_size'],
        ['page_size=0', 'page_size'],
        ['sort=external_id', 'sort'],
        ['order=up', 'order'],
        ['status=broken', 'status'],
        ['orphan=yes', 'orphan'],
        ['duplicate=1', 'duplicate'],
        ['created_from=2026-02-30', 'created_from'],
        ['created_from=2026-03-01&created_to=2026-02-01', 'created_to'],
        ['institution=Erebor', 'institution'],
        ['q=', 'q'],
        ['ordering=created_at', 'ordering'],
        ['status=valid&status=invalid', 'status'],
      ];
      for (const [query, field] of cases) {
        for (const path of ['/bff/index/links', '/bff/index/links.csv']) {
          const response = await stack.request(`${path}?${query}`);
          expect(response.status, `${path}?${query}`).toBe(400);
          expect(await response.json()).toEqual([expect.objectContaining({ field, code: expect.any(String), message: expect.any(String), request_id: expect.stringMatching(/^[a-f0-9]{32}$/) })]);
        }
      }
      expect(stack.belvoCalls.length).toBe(before);
    });
  });

  describe('GET /bff/index/links.csv', { timeout: 30_000 }, () => {
    const parse = (text: string) => text.trimEnd().split('\r\n');

    it('holds exactly the filtered set, every page, with the index’s freshness on each row', async () => {
      const response = await stack.request('/bff/index/links.csv?status=token_required&access_mode=recurrent&sort=institution&order=asc&page_size=10');
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="linkdesk-links-.+\.csv"$/);
      const lines = parse(await response.text());
      expect(lines[0]).toBe(indexCsvColumns.join(','));
      const expected = links.filter((link) => link.status === 'token_required' && link.access_mode === 'recurrent');
      expect(lines.length - 1).toBe(expected.length);
      expect(new Set(lines.slice(1).map((line) => line.slice(1, 37)))).toEqual(new Set(expected.map((link) => link.id)));
      expect(lines.slice(1).every((line) => line.endsWith('"2026-11-25T12:00:00.000Z","2026-11-25T12:00:00.000Z"'))).toBe(true);

      const everything = parse(await (await stack.request('/bff/index/links.csv')).text());
      expect(everything.length - 1).toBe(links.length);
    });

    it('defuses cells a spreadsheet would run as a formula', async () => {
      const lines = parse(await (await stack.request('/bff/index/links.csv?q=-2-1_cmd')).text());
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`,"'-2-1_cmd",`);
      // Belvo's institution_user_id alphabet includes "-": those cells are defused too.
      const dashed = links.filter((link) => link.institution_user_id?.startsWith('-'));
      expect(dashed.length).toBeGreaterThan(0);
      const all = await (await stack.request('/bff/index/links.csv')).text();
      for (const link of dashed.slice(0, 20)) expect(all).toContain(`"'${link.institution_user_id}"`);
      expect(all).not.toMatch(/(^|,)"[=+\-@\t\r]/m);
    });
  });

  describe('GET /bff/health', { timeout: 30_000 }, () => {
    it('matches an independent count of the simulator’s links', async () => {
      const health = (await (await stack.request('/bff/health')).json()) as Health;
      expect(health.total).toBe(links.length);
      expect(health.as_of).toBe('2026-11-25T12:00:00.000Z');

      const matrix = new Map<string, number>();
      for (const link of links) matrix.set(`${link.institution} ${link.status}`, (matrix.get(`${link.institution} ${link.status}`) ?? 0) + 1);
      expect(new Map(health.by_status_institution.map((cell) => [`${cell.institution} ${cell.status}`, cell.count]))).toEqual(matrix);

      expect(health.orphans).toBe(links.filter((link) => link.external_id === null).length);

      const groups = duplicateKeys();
      expect(groups.size).toBeGreaterThan(healthDuplicateGroups);
      expect(health.duplicate_group_count).toBe(groups.size);
      expect(health.duplicate_groups).toHaveLength(healthDuplicateGroups);
      expect(health.duplicate_links).toBe([...groups.values()].reduce((sum, group) => sum + group.length, 0));
      // Every group once across the pages, newest group first, each group newest link first.
      const paged: DuplicateGroup[] = [];
      for (let page = 1; ; page += 1) {
        const answer = (await (await stack.request(`/bff/health/duplicates?page=${page}&page_size=200`)).json()) as DuplicateGroupsPage;
        expect(answer.count).toBe(groups.size);
        paged.push(...answer.groups);
        if (answer.groups.length < 200) break;
      }
      expect(paged).toHaveLength(groups.size);
      expect(paged.slice(0, healthDuplicateGroups)).toEqual(health.duplicate_groups);
      const newest = (group: DuplicateGroup) => Date.parse(group.links[0]?.created_at ?? '');
      for (const [index, group] of paged.entries()) {
        const members = groups.get(`${group.institution} ${group.institution_user_id}`) ?? [];
        expect(group.link_ids).toEqual([...members].sort((a, b) => created(b) - created(a)).map((link) => link.id));
        if (index > 0) expect(newest(group)).toBeLessThanOrEqual(newest(paged[index - 1] as DuplicateGroup));
      }
      expect((await stack.request('/bff/health/duplicates?page_size=201')).status).toBe(400);

      const periods: Record<RefreshRate, number> = { '6h': 6 * 3_600_000, '12h': 12 * 3_600_000, '24h': dayMs, '7d': 7 * dayMs, '30d': 30 * dayMs };
      const notAccessed = links.filter(
        (link) => link.status === 'valid' && link.refresh_rate !== null && Math.max(accessed(link), created(link)) < now - periods[link.refresh_rate] * 2,
      );
      const broken = links.filter((link) => (link.status === 'invalid' || link.status === 'token_required') && Math.max(accessed(link), created(link)) < now - 7 * dayMs);
      expect(health.stale).toMatchObject({ thresholds: { refresh_rate_factor: 2, broken_days: 7 }, not_accessed: notAccessed.length, broken: broken.length });
      expect((await list('stale=any&page_size=1')).count).toBe(notAccessed.length + broken.length);
      expect(health.history).toEqual([
        {
          day: '2026-11-25',
          taken_at: '2026-11-25T12:00:00.000Z',
          total: links.length,
          counts_by_status: {
            valid: links.filter((link) => link.status === 'valid').length,
            invalid: links.filter((link) => link.status === 'invalid').length,
            unconfirmed: links.filter((link) => link.status === 'unconfirmed').length,
            token_required: links.filter((link) => link.status === 'token_required').length,
          },
        },
      ]);
    });
  });
});
