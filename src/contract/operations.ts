import * as z from 'zod/mini';
import { fetchResourceSchema } from './institutions.ts';

/** `POST /api/links/{id}/refresh/` body (seed 004): optional, unique, known resources. */
export const refreshBodySchema = z.strictObject({
  fetch_resources: z.optional(
    z.array(fetchResourceSchema).check(
      z.minLength(1, 'fetch_resources needs at least one resource, or leave it out to refresh everything the institution supports'),
      z.refine((resources) => new Set(resources).size === resources.length, { error: 'list each resource once' }),
    ),
  ),
});
export type RefreshBody = z.infer<typeof refreshBodySchema>;

/** Belvo's 409 says "Please wait X minutes"; this reads X (1 for "1 minute" too). */
export function minutesToWait(message: string): number | null {
  const match = /wait (\d+) minutes?/i.exec(message);
  return match?.[1] ? Number(match[1]) : null;
}

/** `PATCH /api/links/{id}/` through Linkdesk: only the access mode, a support action (belvo-api.md §2). */
export const accessModeBodySchema = z.strictObject({
  access_mode: z.enum(['single', 'recurrent'], { error: 'access_mode is single or recurrent' }),
});
export type AccessModeBody = z.infer<typeof accessModeBodySchema>;
