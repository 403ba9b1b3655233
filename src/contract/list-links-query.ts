import * as z from 'zod/mini';
import {
  accessModeSchema,
  externalIdSchema,
  institutionSchema,
  linkIdSchema,
  linkStatusSchema,
  maxPageSize,
  refreshRateSchema,
} from './links.ts';

/**
 * The filters `GET /api/links/` accepts (belvo-api.md §1.1), as the proxy validates them before
 * anything reaches Belvo. Values arrive as query strings; every key may appear once.
 */
const isoDateOrTimestamp = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** `Date.parse` rolls 2026-02-30 over to March; a real date survives the round trip. */
export function isRealDate(value: string): boolean {
  const day = value.slice(0, 10);
  const epoch = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(epoch) && new Date(epoch).toISOString().slice(0, 10) === day && !Number.isNaN(Date.parse(value));
}

export const dateOrTimestamp = z.string().check(
  z.regex(isoDateOrTimestamp, 'use a date (2026-01-31) or an ISO-8601 timestamp (2026-01-31T12:00:00Z)'),
  z.refine(isRealDate, { error: 'that date does not exist' }),
);

function commaList(item: z.ZodMiniType<string, string>, what: string) {
  return z.pipe(
    z.pipe(
      z.string(),
      z.transform((value: string) => value.split(',').map((part) => part.trim())),
    ),
    z.pipe(
      z.array(item).check(z.minLength(1, `give at least one ${what}`), z.maxLength(100, `give at most 100 ${what} values`)),
      z.transform((values: string[]) => values.join(',')),
    ),
  );
}

const institutionUserIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_=-]{20,64}$/, 'institution_user_id is the 44-character id Belvo returns on the link'));

const pageSizeMessage = `page_size must be a whole number from 1 (Belvo serves at most ${maxPageSize} a page)`;

/** `omit` / `fields`: comma-separated field names of the answer's objects (belvo-api.md §1.1, §2.1, §10). */
const fieldNameSchema = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'field names look like id, status or external_id'));
export const fieldSelectionSchema = z.partial(
  z.strictObject({
    omit: commaList(fieldNameSchema, 'field name'),
    fields: commaList(fieldNameSchema, 'field name'),
  }),
);
export type FieldSelection = z.infer<typeof fieldSelectionSchema>;

/** Belvo user ids (`created_by`), for `created_by__not_in`. */
const belvoUserIdSchema = z.string().check(z.regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i, 'a Belvo user id is a UUID'));

export const listLinksQuerySchema = z.partial(
  z.strictObject({
    page: z.string().check(z.regex(/^[1-9]\d{0,6}$/, 'page must be a whole number from 1')),
    // Belvo caps a larger page_size at 1000 rather than refusing it (belvo-api.md §1.1); so does the proxy.
    page_size: z.pipe(
      z.string().check(z.regex(/^0*[1-9]\d{0,8}$/, pageSizeMessage)),
      z.transform((value: string) => String(Math.min(Number(value), maxPageSize))),
    ),
    omit: commaList(fieldNameSchema, 'field name'),
    fields: commaList(fieldNameSchema, 'field name'),
    created_by__not_in: commaList(belvoUserIdSchema, 'Belvo user id'),
    id: linkIdSchema,
    id__in: commaList(linkIdSchema, 'link id'),
    status: linkStatusSchema,
    status__in: commaList(linkStatusSchema, 'status'),
    external_id: externalIdSchema,
    external_id__in: commaList(externalIdSchema, 'external_id'),
    institution: institutionSchema,
    institution__in: commaList(institutionSchema, 'institution'),
    institution_user_id: institutionUserIdSchema,
    institution_user_id__in: commaList(institutionUserIdSchema, 'institution_user_id'),
    access_mode: accessModeSchema,
    refresh_rate: refreshRateSchema,
    created_at: dateOrTimestamp,
    created_at__gt: dateOrTimestamp,
    created_at__gte: dateOrTimestamp,
    created_at__lt: dateOrTimestamp,
    created_at__lte: dateOrTimestamp,
    created_at__range: z.pipe(
      z.pipe(
        z.string(),
        z.transform((value: string) => value.split(',')),
      ),
      z.pipe(
        z.tuple([dateOrTimestamp, dateOrTimestamp], { error: 'created_at__range takes two dates: start,end' }),
        z.transform((range: [string, string]) => range.join(',')),
      ),
    ),
  }),
);

export type ListLinksQuery = z.infer<typeof listLinksQuerySchema>;
