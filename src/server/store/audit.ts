import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditAction, AuditEntry, AuditProblem, AuditVerification } from '../../contract/bff/audit.ts';
import type { Clock } from '../../contract/clock.ts';
import { createMemoryCheckpoint, type AuditCheckpoint } from './audit-key.ts';
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

/** Rows read at a time when verifying or exporting. */
export const auditChunkRows = 100;
/** How long verification or export works before letting other requests run. */
const sliceMs = 2;

const chainColumns = (row: Record<string, unknown>) => [row.prev_hash, row.at, row.actor, row.role, row.action, row.phase, row.correlation_id, row.link_id, row.external_id, row.belvo_request_id, row.outcome, row.detail];

/** The chain before it was keyed (anyone could recompute it); still checked for old entries. */
const plainHash = (row: Record<string, unknown>) => createHash('sha256').update(JSON.stringify(chainColumns(row))).digest('hex');

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createAuditLog(db: Db, clock: Clock, options: { key: Buffer; checkpoint?: AuditCheckpoint }) {
  const checkpoint = options.checkpoint ?? createMemoryCheckpoint();
  const chainKey = createHmac('sha256', options.key).update('linkdesk audit chain v1').digest();
  const statements = {
    last: db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1'),
    sequence: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"),
    insert: db.prepare(
      `INSERT INTO audit_log (id, at, actor, role, action, phase, correlation_id, link_id, external_id, belvo_request_id, outcome, detail, prev_hash, hash, chain)
       VALUES (@id, @at, @actor, @role, @action, @phase, @correlation_id, @link_id, @external_id, @belvo_request_id, @outcome, @detail, @prev_hash, @hash, 'hmac-sha256')`,
    ),
    chunk: db.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?'),
    byId: db.prepare('SELECT id, hash FROM audit_log WHERE id = ?'),
    open: db.prepare(
      `SELECT a.id, a.at, a.actor, a.role, a.action, a.phase, a.correlation_id, a.link_id, a.external_id, a.belvo_request_id, a.outcome, a.detail
       FROM audit_log a WHERE a.phase = 'attempt' AND a.at < ?
       AND NOT EXISTS (SELECT 1 FROM audit_log r WHERE r.correlation_id = a.correlation_id AND r.phase = 'result')
       ORDER BY a.id`,
    ),
  };

  // The id is inside the MAC, so renumbering or removing an entry breaks the chain, and the MAC
  // needs the key, which is not in the database.
  const entryMac = (row: Record<string, unknown>) => createHmac('sha256', chainKey).update(JSON.stringify([row.id, ...chainColumns(row)])).digest('hex');
  const headMac = (id: number, hash: string) => createHmac('sha256', chainKey).update(`head ${id} ${hash}`).digest('hex');

  const append = db.transaction((entry: Omit<AuditEntry, 'id' | 'at' | 'detail'> & { detail: string | null }) => {
    const last = statements.last.get() as { id: number; hash: string } | undefined;
    const sequence = (statements.sequence.get() as { seq: number } | undefined)?.seq ?? 0;
    const row = { ...entry, id: Math.max(sequence, last?.id ?? 0) + 1, at: clock.now(), prev_hash: last?.hash ?? genesis };
    const hash = entryMac(row);
    statements.insert.run({ ...row, hash });
    return { id: row.id, hash };
  });
  // IMMEDIATE: the CLI writes to the same log from another process; two writers must not both
  // chain onto the same previous entry.
  const write = (entry: Omit<AuditEntry, 'id' | 'at' | 'detail'> & { detail: string | null }) => {
    const head = append.immediate(entry);
    checkpoint.write({ ...head, mac: headMac(head.id, head.hash) });
  };

  let running: Promise<AuditVerification> | null = null;
  const verifyChain = async (): Promise<AuditVerification> => {
    const problems: AuditProblem[] = [];
    let prev = genesis;
    let lastId = 0;
    let entries = 0;
    let unkeyed = 0;
    let keyedSeen = false;
    let sliceStartedAt = performance.now();
    for (;;) {
      const rows = statements.chunk.all(lastId, auditChunkRows) as Record<string, unknown>[];
      for (const row of rows) {
        const id = Number(row.id);
        if (id !== lastId + 1) problems.push({ kind: 'gap', id, missing: id - lastId - 1 });
        const keyed = row.chain === 'hmac-sha256';
        const expected = keyed ? entryMac(row) : plainHash(row);
        // An unkeyed entry after a keyed one is someone rewriting the tail without the key.
        if (row.prev_hash !== prev || !sameHex(expected, String(row.hash)) || (!keyed && keyedSeen)) problems.push({ kind: 'broken', id });
        keyedSeen ||= keyed;
        if (!keyed) unkeyed += 1;
        prev = String(row.hash);
        lastId = id;
        entries += 1;
      }
      if (rows.length < auditChunkRows) break;
      if (performance.now() - sliceStartedAt >= sliceMs) {
        await yieldToEventLoop();
        sliceStartedAt = performance.now();
      }
    }
    const sequence = (statements.sequence.get() as { seq: number } | undefined)?.seq ?? 0;
    const head = checkpoint.read();
    if (head === null) {
      if (keyedSeen) problems.push({ kind: 'checkpoint_missing' });
    } else if (head.id < 0 || !sameHex(headMac(head.id, head.hash), head.mac)) {
      problems.push({ kind: 'checkpoint_forged' });
    } else {
      const atHead = statements.byId.get(head.id) as { id: number; hash: string } | undefined;
      if (!atHead) problems.push({ kind: 'truncated', id: head.id });
      else if (!sameHex(atHead.hash, head.hash)) problems.push({ kind: 'broken', id: head.id });
    }
    if (sequence > lastId && !problems.some((problem) => problem.kind === 'truncated')) problems.push({ kind: 'truncated', id: sequence });
    return { ok: problems.length === 0, entries, unkeyed_entries: unkeyed, last_id: entries > 0 ? lastId : null, problems: problems.slice(0, 100) };
  };

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

  const list = (filter: AuditFilter = {}): AuditEntry[] => {
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
  };

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
    /** Attempts written before `before` that have no result: what a crash (kill -9) left open. */
    openAttempts(before: number): AuditEntry[] {
      return (statements.open.all(before) as (Omit<AuditEntry, 'detail'> & { detail: string | null })[]).map((row) => ({
        ...row,
        detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown> | null) : null,
      }));
    },
    /** Records how an open attempt ended, found afterwards; the result shares the attempt's correlation id. */
    close(attempt: AuditEntry, outcome: string, what: What = {}) {
      record(attempt.action as AuditAction, { actor: attempt.actor, role: attempt.role }, attempt.correlation_id, 'result', outcome, {
        link_id: what.link_id ?? attempt.link_id,
        external_id: what.external_id ?? attempt.external_id,
        belvo_request_id: what.belvo_request_id ?? null,
        detail: what.detail,
      });
    },
    list,
    actors: () => (db.prepare('SELECT DISTINCT actor FROM audit_log ORDER BY actor').all() as { actor: string }[]).map((row) => row.actor),
    /**
     * Recomputes the keyed chain in chunks (other requests run in between), reports gaps in ids,
     * and checks the newest entry against the checkpoint kept outside the database. Calls made
     * while one runs share its answer.
     */
    verify(): Promise<AuditVerification> {
      running ??= verifyChain().finally(() => {
        running = null;
      });
      return running;
    },
    /** Entries matching the filter, newest first, in chunks, yielding between them (the CSV export). */
    async *stream(filter: AuditFilter = {}, max = 100_000): AsyncGenerator<AuditEntry[]> {
      let beforeId: number | undefined = filter.before_id;
      let sent = 0;
      while (sent < max) {
        const rows = list({ ...filter, before_id: beforeId, limit: Math.min(auditChunkRows, max - sent) });
        if (rows.length === 0) return;
        yield rows;
        sent += rows.length;
        beforeId = (rows[rows.length - 1] as AuditEntry).id;
        // The consumer formats each chunk as CSV before asking for the next; let others run between.
        await yieldToEventLoop();
      }
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
