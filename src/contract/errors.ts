import * as z from 'zod/mini';

/**
 * Every non-2xx Belvo answer is an array of these (OpenAPI v1.35: every error response is
 * `type: array`; belvo-api.md §3.1). `field` names the offending input where there is one.
 */
export const belvoErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  request_id: z.optional(z.nullable(z.string())),
  field: z.optional(z.nullable(z.string())),
});
export type BelvoError = z.infer<typeof belvoErrorSchema>;

export const belvoErrorListSchema = z.array(belvoErrorSchema).check(z.minLength(1));
export type BelvoErrorList = z.infer<typeof belvoErrorListSchema>;

/** Belvo request ids are 32 lowercase hex characters. */
export const requestIdPattern = /^[a-f0-9]{32}$/;
