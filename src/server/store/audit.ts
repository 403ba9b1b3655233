import { createHash, randomUUID } from 'node:crypto';
import type { AuditAction, AuditEntry } from '../../contract/bff/audit.ts';
import type { Clock } from '../../contract/clock.ts';
import type { Db } from './database.ts';

export interface AuditFilter {
  actor?: string;
  action?: string;
  link_id?: string;
  outcome?: string;
  from?: number;
  to?: number;
  before_id?: number;
  limit?: number;
}

/** Who acted: a staff member, the CLI's operator, or Belvo (a webhook). */
export interface AuditActor {
  actor: string;
  role: string | null;
}

const genesis = '0'.repeat(64);

/** Each filter and the condition it adds; values are bound as parameters, never spliced in. */
const filterConditions: [keyof Omit<AuditFilter, 'limit'>, string][] = [
  ['actor', 'actor = @actor'],
  ['action', 'action = @action'],
  // The 8-character short id every screen shows matches the links it starts.
  ['link_id', "(link_id = @link_id OR (length(@link_id) = 8 AND substr(link_id, 1, 8) = @link_id))"],
  ['outcome', 'outcome = @outcome'],
  ['from', 'at >= @from'],
  ['to', 'at < @to'],
  ['before_id', 'id < @before_id'],
];

/** Keys that never reach the log, whatever a caller puts in `detail`. */
const forbiddenDetail = /pass|token|secret|session|authorization|cookie|code/i;

function clean(detail: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!detail) return null;
  const kept = Object.entries(detail).filter(([key, value]) => !forbiddenDetail.test(key) && value !== undefined);
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

/**
 * The audit log: every sensitive action is written when it is attempted and when it ends, with
 * who, which role, which link, Belvo's request_id and the outcome. Never a password, token, MFA
 * code or key. Append-only (triggers refuse UPDATE and DELETE) and hash-chained (each entry
 * commits to the previous one), so a quiet edit shows up in `verify()`.
 */
/** What an HTTP status means for the record. */
export function outcomeOf(status: number): string {
  if (status === 202) return 'accepted';
  if (status >= 200 && status < 300) return 'success';
  if (status === 428) return 'token_required';
  if (status === 409 || status === 429) return 'blocked';
  if (status === 502 || status === 504) return 'unknown';
  if (status >= 400 && status < 500) return 'refused';
  return 'error';
}

export function createAuditLog(db: Db, clock: Clock) {
  const statements = {
    last: db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'),
    insert: db.prepare(
      `INSERT INTO audit_log (at, actor, role, action, phase, correlation_id, link_id, external_id, belvo_request_id, outcome, detail, prev_hash, hash)
       VALUES (@at, @actor, @role, @action, @phase, @correlation_id, @link_id, @external_id, @belvo_request_id, @outcome, @detail, @prev_hash, @hash)`,
    ),
    all: db.prepare('SELECT * FROM audit_log ORDER BY id'),
  };

  const entryHash = (row: Record<string, unknown>) =>
    createHash('sha256')
      .update(
        JSON.stringify([row.prev_hash, row.at, row.actor, row.role, row.action, row.phase, row.correlation_id, row.link_id, row.external_id, row.belvo_request_id, row.outcome, row.detail]),
      )
      .digest('hex');

  const write = db.transaction((entry: Omit<AuditEntry, 'id' | 'at' | 'detail'> & { detail: string | null }) => {
    const prev = (statements.last.get() as { hash: string } | undefined)?.hash ?? genesis;
    const row = { ...entry, at: clock.now(), prev_hash: prev };
    statements.insert.run({ ...row, hash: entryHash(row) });
  });

  interface What {
    link_id?: string | null;
    external_id?: string | null;
    belvo_request_id?: string | null;
    detail?: Record<string, unknown>;
  }

  const record = (action: AuditAction, who: AuditActor, correlation: string, phase: AuditEntry['phase'], outcome: string, what: What) =>
    write({
      actor: who.actor,
      role: who.role,
      action,
      correlation_id: correlation,
      phase,
      link_id: what.link_id ?? null,
      external_id: what.external_id ?? null,
      belvo_request_id: what.belvo_request_id ?? null,
      outcome,
      detail: JSON.stringify(clean(what.detail)),
    });

  return {
    /** Records the attempt; the returned function records how it ended. */
    attempt(action: AuditAction, who: AuditActor, what: What = {}) {
      const correlation = randomUUID();
      record(action, who, correlation, 'attempt', 'attempted', { ...what, belvo_request_id: null });
      return (outcome: string, result: What = {}) =>
        record(action, who, correlation, 'result', outcome, {
          link_id: result.link_id ?? what.link_id,
          external_id: result.external_id ?? what.external_id,
          belvo_request_id: result.belvo_request_id,
          detail: result.detail,
        });
    },
    /** An outcome that arrives on its own (Belvo's webhook confirming an async deletion). */
    note(action: AuditAction, who: AuditActor, outcome: string, what: What = {}) {
      record(action, who, randomUUID(), 'result', outcome, what);
    },
    list(filter: AuditFilter = {}): AuditEntry[] {
      const conditions = filterConditions.filter(([key]) => filter[key] !== undefined && filter[key] !== '');
      const where = conditions.map(([, sql]) => sql);
      const params = Object.fromEntries(conditions.map(([key]) => [key, filter[key]]));
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 100_000);
      const sql = `SELECT id, at, actor, role, action, phase, correlation_id, link_id, external_id, belvo_request_id, outcome, detail
        FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`;
      return (db.prepare(sql).all(params) as (Omit<AuditEntry, 'detail'> & { detail: string | null })[]).map((row) => ({
        ...row,
        detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown> | null) : null,
      }));
    },
    actors: () => (db.prepare('SELECT DISTINCT actor FROM audit_log ORDER BY actor').all() as { actor: string }[]).map((row) => row.actor),
    /** Recomputes the chain; the first entry whose hash does not match, if any. */
    verify(): { ok: true; entries: number } | { ok: false; brokenAt: number } {
      let prev = genesis;
      let count = 0;
      for (const row of statements.all.iterate() as Iterable<Record<string, unknown>>) {
        if (row.prev_hash !== prev || entryHash(row) !== row.hash) return { ok: false, brokenAt: Number(row.id) };
        prev = String(row.hash);
        count += 1;
      }
      return { ok: true, entries: count };
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
