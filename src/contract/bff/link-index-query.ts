import * as z from 'zod/mini';
import { dateOrTimestamp } from '../list-links-query.ts';
import { indexSearchSchema, indexSortSchema, maxDuplicateGroupsPageSize, sortOrderSchema, staleKindSchema } from './link-index.ts';
import { accessModeSchema, institutionSchema, linkStatusSchema, maxPageSize, refreshRateSchema } from '../links.ts';

// The query string of `GET /bff/index/links` and `.csv`, apart from the answers (./link-index.ts):
// the server parses it; the SPA builds it itself, and a module of its own keeps the parsing
// (pipes, transforms) out of the SPA's bundle.

const flag = (field: string) =>
  z.pipe(
    z.enum(['true', 'false'], { error: `${field} is true or false` }),
    z.transform((value: 'true' | 'false') => value === 'true'),
  );

const wholeNumber = (field: string, max: number) =>
  z.pipe(
    z.string().check(
      z.regex(/^[1-9]\d{0,6}$/, `${field} must be a whole number from 1 to ${max}`),
      z.refine((value) => Number(value) <= max, { error: `${field} must be a whole number from 1 to ${max}` }),
    ),
    z.transform(Number),
  );

/**
 * Query of `GET /bff/index/links` (and `.csv`, which ignores `page` and `page_size`). Values
 * arrive as query strings, every key at most once; an unknown key or a bad value is a 400 in
 * Belvo's error shape with `field` naming the parameter, and nothing reaches Belvo.
 *
 * - `created_from` / `created_to`: a date (whole UTC day, both ends inclusive) or an ISO-8601 timestamp.
 * - `orphan=true`: links without an external_id; `orphan=false`: links with one.
 * - `duplicate=true`: links that share institution + institution_user_id with another link.
 * - `stale`: see `staleSchema` for the thresholds.
 * - `sort` defaults to `created_at`, `order` to `desc`; ties break on the link id. Links never
 *   accessed sort as the oldest `last_accessed_at`.
 */
export const indexLinksQuerySchema = z.partial(
  z.strictObject({
    q: indexSearchSchema,
    status: linkStatusSchema,
    institution: institutionSchema,
    access_mode: accessModeSchema,
    refresh_rate: refreshRateSchema,
    orphan: flag('orphan'),
    duplicate: flag('duplicate'),
    stale: staleKindSchema,
    created_from: dateOrTimestamp,
    created_to: dateOrTimestamp,
    sort: indexSortSchema,
    order: sortOrderSchema,
    page: wholeNumber('page', 9_999_999),
    page_size: wholeNumber('page_size', maxPageSize),
  }),
);
/** What the SPA puts in the URL (strings). */
export type IndexLinksSearch = z.input<typeof indexLinksQuerySchema>;
/** What the server reads after validation (booleans and numbers). */
export type IndexLinksQuery = z.output<typeof indexLinksQuerySchema>;
/** The keys `GET /bff/index/links` accepts, in the order the CSV link keeps them. */
export const indexLinksQueryKeys = Object.keys(indexLinksQuerySchema.shape) as (keyof IndexLinksSearch)[];

/** Builds the query string for `/bff/index/links` or `.csv` from URL state; empty values are left out. */
export function indexLinksSearchParams(search: { [K in keyof IndexLinksSearch]?: string | number | boolean | null }): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of indexLinksQueryKeys) {
    const value = search[key];
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params;
}


/** Query of `GET /bff/health/duplicates`: `page` from 1, `page_size` up to 200 (default 50). */
export const duplicateGroupsQuerySchema = z.partial(
  z.strictObject({
    page: wholeNumber('page', 9_999_999),
    page_size: wholeNumber('page_size', maxDuplicateGroupsPageSize),
  }),
);
