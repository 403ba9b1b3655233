import type { Context } from 'hono';
import type * as z from 'zod/mini';
import type { AppEnv } from '../app-env.ts';
import { errorResponse } from '../errors.ts';

/**
 * Reads a JSON body against a schema: not JSON, the wrong shape, unknown keys and wrong types all
 * become a 400 naming the field. Never echoes a value back (it may be a password or a token).
 */
export async function readJsonBody<T>(c: Context<AppEnv>, schema: z.ZodMiniType<T, unknown>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const text = await c.req.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, response: errorResponse(c, 400, [{ code: 'parse_error', message: 'The body is not valid JSON.' }]) };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, response: errorResponse(c, 400, [{ code: 'invalid', message: 'The body must be a JSON object.' }]) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      response: errorResponse(
        c,
        400,
        parsed.error.issues.flatMap((issue) => {
          if (issue.code === 'unrecognized_keys') {
            return (issue as { keys: string[] }).keys.map((key) => ({ field: key, code: 'unknown_field', message: `"${key.slice(0, 40)}" is not a field this endpoint takes.` }));
          }
          const field = String(issue.path[0] ?? 'body');
          if (issue.code === 'invalid_type') {
            const missing = issue.path.length === 1 && !(field in (json as Record<string, unknown>));
            const expected = (issue as { expected?: string }).expected ?? 'another type';
            return [{ field, code: missing ? 'required' : 'invalid_type', message: missing ? `${field} is required.` : `${field} must be a ${expected}.` }];
          }
          return [{ field, code: 'invalid', message: issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}` }];
        }),
      ),
    };
  }
  return { ok: true, value: parsed.data };
}
