import * as z from 'zod/mini';
import { externalIdMaxLength, externalIdPattern, uuidPattern } from './links.ts';

/**
 * `token_generation_data` (seed 003, "Handling Multifactor Authentication"). `type` has no enum in
 * the schema: the documented ones are inputless, numeric, qr and text; anything else must still be
 * handled. `value` is null for inputless. The prose spells the flag `expect_user_input`, the schema
 * `expects_user_input`; both are read.
 */
export const tokenGenerationDataSchema = z.looseObject({
  instructions: z.optional(z.nullable(z.string())),
  type: z.optional(z.nullable(z.string())),
  value: z.optional(z.nullable(z.string())),
  expects_user_input: z.optional(z.nullable(z.boolean())),
  expect_user_input: z.optional(z.nullable(z.boolean())),
});
export type TokenGenerationData = z.infer<typeof tokenGenerationDataSchema>;

/** 428 body item. `expiry` arrives as a number (schema) or a string (MFA guide: "720"). */
export const tokenRequiredErrorSchema = z.looseObject({
  code: z.literal('token_required'),
  message: z.string(),
  request_id: z.optional(z.nullable(z.string())),
  session: z.string(),
  expiry: z.union([z.number(), z.string()]),
  link: z.string(),
  token_generation_data: z.optional(z.nullable(tokenGenerationDataSchema)),
});
export type TokenRequiredError = z.infer<typeof tokenRequiredErrorSchema>;

/** Seconds from a 428's `expiry`, whichever form it came in; 0 when unreadable. */
export function expirySeconds(expiry: number | string): number {
  const seconds = typeof expiry === 'number' ? expiry : Number.parseInt(expiry, 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

export function expectsUserInput(data: TokenGenerationData | null | undefined): boolean {
  return data?.expects_user_input ?? data?.expect_user_input ?? true;
}

const secretText = (what: string) => z.string().check(z.minLength(1, `${what} may not be empty`), z.maxLength(512, `${what} is at most 512 characters`));

/** `PATCH /api/links/` (belvo-api.md §2.3): resume a session paused by a 428. */
export const resumeLinkBodySchema = z.strictObject({
  session: z.string().check(z.regex(/^[a-f0-9]{32}$/, 'session is the 32-character value from the 428 answer')),
  link: z.string().check(z.regex(uuidPattern, 'link is the link id (a UUID) from the 428 answer')),
  token: z.optional(secretText('token')),
  save_data: z.optional(z.boolean()),
});
export type ResumeLinkBody = z.infer<typeof resumeLinkBodySchema>;

/** `POST /api/links/` (belvo-api.md §2.2): register a link; Belvo checks the rest. */
export const registerLinkBodySchema = z.strictObject({
  institution: z.string().check(z.regex(/^[a-z]+_[a-z]{2}_[a-z]+$/, 'institution is a code like erebor_mx_retail')),
  username: secretText('username'),
  password: z.optional(secretText('password')),
  username2: z.optional(secretText('username2')),
  username3: z.optional(secretText('username3')),
  password2: z.optional(secretText('password2')),
  token: z.optional(secretText('token')),
  username_type: z.optional(z.string().check(z.regex(/^\d{3}$/, 'username_type is a three-digit code such as 001 or 103'))),
  access_mode: z.optional(z.enum(['single', 'recurrent'], { error: 'access_mode is single or recurrent' })),
  external_id: z.optional(
    z.nullable(z.string().check(z.regex(externalIdPattern, `external_id is 3 to ${externalIdMaxLength} letters, digits, - or _`))),
  ),
  fetch_resources: z.optional(z.array(z.string().check(z.regex(/^[A-Z_]+$/, 'fetch_resources are names like ACCOUNTS')))),
  credentials_storage: z.optional(z.string().check(z.regex(/^(store|nostore|\d{1,3}d)$/, 'credentials_storage is store, nostore or a number of days like 30d'))),
  stale_in: z.optional(z.string().check(z.regex(/^\d{1,3}d$/, 'stale_in is a number of days like 90d'))),
  fetch_historical: z.optional(z.boolean({ error: 'fetch_historical is true or false' })),
  save_data: z.optional(z.boolean({ error: 'save_data is true or false' })),
  certificate: z.optional(z.string().check(z.regex(/^[A-Za-z0-9+/=\s]+$/, 'certificate is base64'))),
  private_key: z.optional(z.string().check(z.regex(/^[A-Za-z0-9+/=\s]+$/, 'private_key is base64'))),
});
export type RegisterLinkBody = z.infer<typeof registerLinkBodySchema>;
