import type { Link } from '../../contract/links.ts';

// A link as the index stores it (its row's columns, in order), and the batches rows are written in.

function toEpoch(iso: string | null): number {
  if (!iso) return 0;
  const epoch = Date.parse(iso);
  return Number.isNaN(epoch) ? 0 : epoch;
}

/**
 * Rows written per statement: 15 parameters a link, so 30,000 at most, under SQLite's 32,766 and
 * PostgreSQL's 65,535. Fewer, larger statements keep a full sync's CPU where it was with one
 * prepared statement a link (smaller batches cost up to 25% more).
 */
const batchRows = 2000;

export function* batches<T>(items: readonly T[], size = batchRows): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** A link as its index_links row. */
export function indexRow(link: Link, seenRun: number) {
  const createdMs = toEpoch(link.created_at);
  const lastAccessedMs = toEpoch(link.last_accessed_at);
  return {
    id: link.id,
    institution: link.institution,
    status: link.status,
    access_mode: link.access_mode,
    refresh_rate: link.refresh_rate,
    external_id: link.external_id,
    institution_user_id: link.institution_user_id,
    created_by: link.created_by,
    created_at: link.created_at,
    created_ms: createdMs,
    last_accessed_at: link.last_accessed_at,
    last_accessed_ms: lastAccessedMs,
    status_since_ms: Math.max(createdMs, lastAccessedMs),
    duplicates: 0,
    seen_run: seenRun,
  };
}

/** The same values as `indexRow`, in its column order, appended to a statement's parameters. */
export function pushIndexRow(parameters: unknown[], link: Link, seenRun: number) {
  const createdMs = toEpoch(link.created_at);
  const lastAccessedMs = toEpoch(link.last_accessed_at);
  parameters.push(
    link.id,
    link.institution,
    link.status,
    link.access_mode,
    link.refresh_rate,
    link.external_id,
    link.institution_user_id,
    link.created_by,
    link.created_at,
    createdMs,
    link.last_accessed_at,
    lastAccessedMs,
    Math.max(createdMs, lastAccessedMs),
    0,
    seenRun,
  );
}
