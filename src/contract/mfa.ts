import * as z from 'zod/mini';

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
