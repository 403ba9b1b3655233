import { defaultPageSize, linkStatuses, maxPageSize, refreshRates, uuidText, type Link } from '../contract/links.ts';
import type { SimErrorItem } from './errors.ts';

/**
 * `GET /api/links/` as Belvo (Django REST framework + django-filter) answers it. Unknown query keys
 * are ignored, as DRF does; the proxy is the one that rejects them.
 */
export type ListOutcome =
  | { ok: true; body: { count: number; next: string | null; previous: string | null; results: Link[] } }
  | { ok: false; status: number; errors: SimErrorItem[] };

// Belvo's filters take an id with or without its dashes (Django's UUID field).
const uuid = new RegExp(`^${uuidText.replaceAll('}-', '}-?')}$`, 'i');
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

type Filter = (link: Link) => boolean;

function choiceError(field: string, value: string): SimErrorItem {
  return { field, code: 'invalid_choice', message: `Select a valid choice. ${value} is not one of the available choices.` };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** A date-only value covers its whole UTC day; a timestamp is an instant. */
function parseInstant(value: string): { start: number; end: number } | null {
  const iso = dateOnly.test(value) ? `${value}T00:00:00Z` : value;
  const start = Date.parse(iso);
  if (Number.isNaN(start)) return null;
  return { start, end: dateOnly.test(value) ? start + 86_400_000 : start };
}

function buildFilters(query: URLSearchParams): { filters: Filter[]; errors: SimErrorItem[] } {
  const filters: Filter[] = [];
  const errors: SimErrorItem[] = [];
  const get = (key: string) => query.get(key);

  const choice = (key: 'status' | 'access_mode' | 'refresh_rate', allowed: readonly string[]) => {
    const value = get(key);
    if (value === null || value === '') return;
    if (!allowed.includes(value)) errors.push(choiceError(key, value));
    else filters.push((link) => link[key] === value);
  };
  choice('status', linkStatuses);
  choice('access_mode', ['single', 'recurrent']);
  choice('refresh_rate', refreshRates);

  const statusIn = get('status__in');
  if (statusIn) {
    const values = splitList(statusIn);
    const bad = values.find((value) => !(linkStatuses as readonly string[]).includes(value));
    if (bad !== undefined) errors.push(choiceError('status__in', bad));
    else filters.push((link) => values.includes(link.status));
  }

  for (const key of ['external_id', 'institution', 'institution_user_id'] as const) {
    const exact = get(key);
    if (exact) filters.push((link) => link[key] === exact);
    const many = get(`${key}__in`);
    if (many) {
      const values = splitList(many);
      filters.push((link) => link[key] !== null && values.includes(link[key] ?? ''));
    }
  }

  const id = get('id');
  if (id) {
    if (!uuid.test(id)) errors.push({ field: 'id', code: 'invalid', message: `“${id}” is not a valid UUID.` });
    else filters.push((link) => link.id === id.toLowerCase());
  }
  const idIn = get('id__in');
  if (idIn) {
    const values = splitList(idIn).map((value) => value.toLowerCase());
    const bad = values.find((value) => !uuid.test(value));
    if (bad !== undefined) errors.push({ field: 'id__in', code: 'invalid', message: `“${bad}” is not a valid UUID.` });
    else filters.push((link) => values.includes(link.id));
  }

  const notCreatedBy = get('created_by__not_in');
  if (notCreatedBy) {
    const values = splitList(notCreatedBy).map((value) => value.toLowerCase());
    const bad = values.find((value) => !uuid.test(value));
    if (bad !== undefined) errors.push({ field: 'created_by__not_in', code: 'invalid', message: `“${bad}” is not a valid UUID.` });
    else filters.push((link) => !values.includes(link.created_by ?? ''));
  }

  const created = createdEpoch;
  const dateFilters: [string, (t: number, v: { start: number; end: number }) => boolean][] = [
    ['created_at', (t, v) => (v.start === v.end ? t === v.start : t >= v.start && t < v.end)],
    ['created_at__gt', (t, v) => t > v.start],
    ['created_at__gte', (t, v) => t >= v.start],
    ['created_at__lt', (t, v) => t < v.start],
    ['created_at__lte', (t, v) => t <= v.start],
  ];
  for (const [key, test] of dateFilters) {
    const raw = get(key);
    if (!raw) continue;
    const value = parseInstant(raw);
    if (!value) errors.push({ field: key, code: 'invalid', message: 'Enter a valid date/time.' });
    else filters.push((link) => test(created(link), value));
  }
  const range = get('created_at__range');
  if (range) {
    const [from, to] = range.split(',').map((part) => (part.trim() ? parseInstant(part.trim()) : null));
    if (!from || !to || range.split(',').length !== 2) {
      errors.push({ field: 'created_at__range', code: 'invalid', message: 'Enter a valid date/time range: start,end.' });
    } else {
      filters.push((link) => created(link) >= from.start && created(link) < Math.max(to.end, to.start + 1));
    }
  }
  return { filters, errors };
}

// Parsing 200,000 timestamps per page request would dominate a full scan; a link's created_at never changes.
const createdCache = new WeakMap<Link, number>();
function createdEpoch(link: Link): number {
  let epoch = createdCache.get(link);
  if (epoch === undefined) {
    epoch = Date.parse(link.created_at);
    createdCache.set(link, epoch);
  }
  return epoch;
}

/** DRF falls back to the default for a page size it cannot read, and caps it at the maximum. */
function readPageSize(raw: string | null): number {
  if (raw === null || !/^\d+$/.test(raw)) return defaultPageSize;
  const size = Number(raw);
  if (size < 1) return defaultPageSize;
  return Math.min(size, maxPageSize);
}

function pageUrl(requestUrl: URL, page: number): string {
  const url = new URL(requestUrl.href);
  if (page === 1) url.searchParams.delete('page');
  else url.searchParams.set('page', String(page));
  return url.href;
}

export function listLinks(links: readonly Link[], requestUrl: URL): ListOutcome {
  const query = requestUrl.searchParams;
  const { filters, errors } = buildFilters(query);
  if (errors.length > 0) return { ok: false, status: 400, errors };

  const matching = filters.length === 0 ? links : links.filter((link) => filters.every((filter) => filter(link)));
  const pageSize = readPageSize(query.get('page_size'));
  const lastPage = Math.max(1, Math.ceil(matching.length / pageSize));
  const rawPage = query.get('page') ?? '1';
  const page = /^\d+$/.test(rawPage) ? Number(rawPage) : Number.NaN;
  if (!Number.isInteger(page) || page < 1 || page > lastPage) {
    return { ok: false, status: 404, errors: [{ code: 'not_found', message: 'Invalid page.' }] };
  }
  const start = (page - 1) * pageSize;
  return {
    ok: true,
    body: {
      count: matching.length,
      next: page < lastPage ? pageUrl(requestUrl, page + 1) : null,
      previous: page > 1 ? pageUrl(requestUrl, page - 1) : null,
      results: matching.slice(start, start + pageSize),
    },
  };
}
