import type * as z from 'zod/mini';
import type { ProxyErrorItem } from '../errors.ts';

/** A path segment that should have been a link id. */
export function linkIdError(id: string): ProxyErrorItem {
  return {
    field: 'id',
    code: 'invalid',
    message: `"${id.slice(0, 60)}" is not a link id. Link ids are UUIDs such as 5fbae30b-8ac1-49d6-a665-b95de84af9cb.`,
  };
}

/**
 * Reads a query string strictly: every key at most once and only the keys the schema knows.
 * Returns Belvo-shaped error items with `field` for anything a person must fix.
 */
export function parseQuery<T extends z.ZodMiniObject>(
  url: URL,
  schema: T,
): { ok: true; values: z.infer<T> } | { ok: false; errors: ProxyErrorItem[] } {
  const allowed = Object.keys(schema.shape);
  const errors: ProxyErrorItem[] = [];
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (!allowed.includes(key)) {
      errors.push({
        field: key,
        code: 'unknown_parameter',
        message: allowed.length
          ? `"${key}" is not a filter Linkdesk accepts here. Use one of: ${allowed.join(', ')}.`
          : `"${key}" is not accepted here: this path takes no query parameters.`,
      });
    } else if (key in raw) {
      errors.push({
        field: key,
        code: 'duplicate_parameter',
        message: key.endsWith('__in') || !allowed.includes(`${key}__in`)
          ? `Give "${key}" only once.`
          : `Give "${key}" only once; to match several values use ${key}__in=a,b.`,
      });
    } else raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      errors.push({ field, code: 'invalid', message: `${field}: ${issue.message}` });
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, values: parsed.data };
}
