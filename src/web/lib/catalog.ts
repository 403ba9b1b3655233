/** `{ links: { title: 'Links' } }` → `{ 'links.title': 'Links' }`: message ids are dotted paths. */
export function flattenCatalog(catalog: object, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === 'string') flat[`${prefix}${key}`] = value;
    else Object.assign(flat, flattenCatalog(value as object, `${prefix}${key}.`));
  }
  return flat;
}

/** A catalogue's shape with every message widened to `string`: what each translation must match. */
export type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
