import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod/mini';

/**
 * Answers JSON that must match its `/bff` contract (src/contract/bff), the same schema the SPA
 * parses with. The body is type-checked against the schema at compile time and checked again at
 * run time on every answer: these answers are small, so the check costs microseconds, and a
 * mismatch then fails here, logged with the route, instead of as "unexpected response" in a
 * browser. The body is sent as given, not as the schema's output.
 */
export function jsonAnswer<S extends z.ZodMiniType>(c: Context, schema: S, body: z.input<S>, status: ContentfulStatusCode = 200, headers: Record<string, string> = {}) {
  const checked = schema.safeParse(body);
  if (!checked.success) {
    const problems = checked.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
    throw new Error(`The answer to ${c.req.method} ${c.req.path} breaks its contract (${problems.join('; ')}).`);
  }
  return c.json(body as object, status, headers);
}
