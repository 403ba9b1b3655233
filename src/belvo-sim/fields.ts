/**
 * `omit` and `fields` (api §1.1, §2.1, §10): comma-separated field names to drop from, or to keep in,
 * each object of an answer. Unknown names are ignored, as Belvo's serializers do (choice).
 */
export function shapeObject<T extends object>(value: T, query: URLSearchParams): Partial<T> {
  const keep = names(query.get('fields'));
  const omit = names(query.get('omit'));
  if (keep.length === 0 && omit.length === 0) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([key]) => (keep.length === 0 || keep.includes(key)) && !omit.includes(key)),
  ) as Partial<T>;
}

function names(raw: string | null): string[] {
  return (raw ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}
