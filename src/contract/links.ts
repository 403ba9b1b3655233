import * as z from 'zod/mini';

// Contract schemas use zod/mini: the SPA imports them, and the mini build tree-shakes to a few KiB.

// Enums are Belvo's own (OpenAPI v1.35 `EnumLinkStatus`, `EnumLinkAccessModeResponse`, refresh rates).
export const linkStatuses = ['valid', 'invalid', 'unconfirmed', 'token_required'] as const;
export const linkStatusSchema = z.enum(linkStatuses, { error: `use one of ${linkStatuses.join(', ')}` });
export type LinkStatus = z.infer<typeof linkStatusSchema>;

export const accessModes = ['single', 'recurrent'] as const;
export const accessModeSchema = z.enum(accessModes, { error: 'use single or recurrent' });
export type AccessMode = z.infer<typeof accessModeSchema>;

export const refreshRates = ['6h', '12h', '24h', '7d', '30d'] as const;
export const refreshRateSchema = z.enum(refreshRates, { error: `use one of ${refreshRates.join(', ')}` });
export type RefreshRate = z.infer<typeof refreshRateSchema>;

/**
 * Belvo's external_id rule (seed 003, "Adding your own identifier"): at least three characters,
 * only letters, numbers, dashes and underscores. Belvo states no maximum; Linkdesk sends at most
 * 128 characters (our choice), so a 10 KB value never goes upstream.
 */
export const externalIdMaxLength = 128;
export const externalIdPattern = new RegExp(`^[A-Za-z0-9_-]{3,${externalIdMaxLength}}$`);
export const externalIdSchema = z
  .string()
  .check(z.regex(externalIdPattern, `an external_id is 3 to ${externalIdMaxLength} letters, digits, - or _`));

/** Institution codes look like `erebor_mx_retail` (OpenAPI `LinksRequest.institution` pattern). */
export const institutionPattern = /^[a-z]+_[a-z]{2}_[a-z]+$/;
export const institutionSchema = z
  .string()
  .check(z.regex(institutionPattern, 'an institution code looks like erebor_mx_retail (name_country_type)'));

/** A UUID as Belvo writes ids (lower-case hex, dashed); the one spelling, for patterns built from it. */
export const uuidText = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const uuidPattern = new RegExp(`^${uuidText}$`, 'i');
export const linkIdSchema = z.string().check(z.regex(uuidPattern, 'a link id is a UUID such as 5fbae30b-8ac1-49d6-a665-b95de84af9cb'));

/**
 * A link as Belvo returns it. Unknown fields pass through (`looseObject`) so that a newer Belvo
 * field never makes Linkdesk reject a page.
 */
export const linkSchema = z.looseObject({
  id: z.string(),
  institution: z.string(),
  access_mode: z.nullable(accessModeSchema),
  status: linkStatusSchema,
  refresh_rate: z.nullable(refreshRateSchema),
  created_by: z.nullable(z.string()),
  last_accessed_at: z.nullable(z.string()),
  external_id: z.nullable(z.string()),
  created_at: z.string(),
  institution_user_id: z.nullable(z.string()),
  credentials_storage: z.optional(z.nullable(z.string())),
  stale_in: z.optional(z.nullable(z.string())),
  fetch_resources: z.optional(z.nullable(z.array(z.string()))),
});
export type Link = z.infer<typeof linkSchema>;

export const linksPageSchema = z.object({
  count: z.int().check(z.nonnegative()),
  next: z.nullable(z.string()),
  previous: z.nullable(z.string()),
  results: z.array(linkSchema),
});
export type LinksPage = z.infer<typeof linksPageSchema>;

/** Page sizes the console offers; Belvo itself accepts 1–1000. */
export const pageSizes = [10, 50, 100, 1000] as const;
export const maxPageSize = 1000;
export const defaultPageSize = 100;
