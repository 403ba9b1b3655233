import { sql } from 'kysely';
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AuditAction, AuditEntry, AuditProblem, AuditVerification } from '../../contract/bff/audit.ts';
import type { Clock } from '../../contract/clock.ts';
import { createMemoryCheckpoint, type AuditCheckpoint } from './audit-key.ts';
import { databaseKind, locks, serialized, type Db } from './database.ts';

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

type AuditRow = Omit<AuditEntry, 'detail'> & { detail: string | null };

const listColumns = ['id', 'at', 'actor', 'role', 'action', 'phase', 'correlation_id', 'link_id', 'external_id', 'belvo_request_id', 'outcome', 'detail'] as const;

const parseDetail = (row: AuditRow): AuditEntry => ({ ...row, detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown> | null) : null });

/**
 * The highest id the table has ever given out, removed rows included: what shows that the newest
 * entries were deleted. SQLite keeps it in sqlite_sequence (AUTOINCREMENT); PostgreSQL in the
 * identity column's sequence, which `append` moves past every explicit id.
 */
async function highestIdGiven(db: Db): Promise<number> {
  if (databaseKind(db) === 'postgres') {
    const result = await sql<{ seq: number }>`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM audit_log_id_seq`.execute(db);
    return Number(result.rows[0]?.seq ?? 0);
  }
  const result = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'`.execute(db);
  return result.rows[0]?.seq ?? 0;
}

export function createAuditLog(db: Db, clock: Clock, options: { key: Buffer; checkpoint?: AuditCheckpoint }) {
  const checkpoint = options.checkpoint ?? createMemoryCheckpoint();
  const chainKey = createHmac('sha256', options.key).update('linkdesk audit chain v1').digest();
  const postgres = databaseKind(db) === 'postgres';

  // The id is inside the MAC, so renumbering or removing an entry breaks the chain, and the MAC
  // needs the key, which is not in the database.
  const entryMac = (row: Record<string, unknown>) => createHmac('sha256', chainKey).update(JSON.stringify([row.id, ...chainColumns(row)])).digest('hex');
  const headMac = (id: number, hash: string) => createHmac('sha256', chainKey).update(`head ${id} ${hash}`).digest('hex');

  // Serialised (see `serialized`): the CLI writes to the same log from another process, and other
  // instances from other machines; two writers must never both chain onto the same previous entry.
  const append = (entry: Omit<AuditEntry, 'id' | 'at' | 'detail'> & { detail: string | null }) =>
    serialized(db, locks.auditChain, async (trx) => {
      const last = await trx.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
      const sequence = await highestIdGiven(trx);
      const row = { ...entry, id: Math.max(sequence, last?.id ?? 0) + 1, at: clock.now(), prev_hash: last?.hash ?? genesis };
      const hash = entryMac(row);
      await trx.insertInto('audit_log').values({ ...row, hash, chain: 'hmac-sha256' }).execute();
      if (postgres) await sql`SELECT setval('audit_log_id_seq', ${row.id})`.execute(trx);
      return { id: row.id, hash };
    });
  const write = async (entry: Omit<AuditEntry, 'id' | 'at' | 'detail'> & { detail: string | null }) => {
    const head = await append(entry);
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
      const rows = (await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(auditChunkRows).execute()) as Record<string, unknown>[];
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
    const sequence = await highestIdGiven(db);
    const head = checkpoint.read();
    if (head === null) {
      if (keyedSeen) problems.push({ kind: 'checkpoint_missing' });
    } else if (head.id < 0 || !sameHex(headMac(head.id, head.hash), head.mac)) {
      problems.push({ kind: 'checkpoint_forged' });
    } else {
      const atHead = await db.selectFrom('audit_log').select(['id', 'hash']).where('id', '=', head.id).executeTakeFirst();
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

  /** Values are bound as parameters, never spliced in. */
  const list = async (filter: AuditFilter = {}): Promise<AuditEntry[]> => {
    const given = (value: string | number | undefined) => value !== undefined && value !== '';
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 100_000);
    let query = db.selectFrom('audit_log').select(listColumns);
    if (given(filter.actor)) query = query.where('actor', '=', filter.actor as string);
    if (given(filter.action)) query = query.where('action', '=', filter.action as string);
    if (given(filter.link_id)) {
      const linkId = filter.link_id as string;
      // The 8-character short id every screen shows matches the links it starts.
      query = linkId.length === 8 ? query.where((eb) => eb.or([eb('link_id', '=', linkId), eb(eb.fn('substr', ['link_id', eb.val(1), eb.val(8)]), '=', linkId)])) : query.where('link_id', '=', linkId);
    }
    if (given(filter.outcome)) query = query.where('outcome', '=', filter.outcome as string);
    if (given(filter.from)) query = query.where('at', '>=', filter.from as number);
    if (given(filter.to)) query = query.where('at', '<', filter.to as number);
    if (given(filter.before_id)) query = query.where('id', '<', filter.before_id as number);
    return (await query.orderBy('id', 'desc').limit(limit).execute()).map((row) => parseDetail(row as AuditRow));
  };

  return {
    /**
     * Whether the newest keyed entry was written with this key (true on an empty log). Instances
     * sharing a database must share the key, or each would chain with its own and the chain breaks.
     */
    async keyFits(): Promise<boolean> {
      const newest = (await db.selectFrom('audit_log').selectAll().where('chain', '=', 'hmac-sha256').orderBy('id', 'desc').limit(1).executeTakeFirst()) as
        | Record<string, unknown>
        | undefined;
      return !newest || sameHex(entryMac(newest), String(newest.hash));
    },
    /** Records the attempt; the returned function records how it ended. */
    async attempt(action: AuditAction, who: AuditActor, what: What = {}) {
      const correlation = randomUUID();
      await record(action, who, correlation, 'attempt', 'attempted', { ...what, belvo_request_id: null });
      return (outcome: string, result: What = {}) =>
        record(action, who, correlation, 'result', outcome, {
          link_id: result.link_id ?? what.link_id,
          external_id: result.external_id ?? what.external_id,
          belvo_request_id: result.belvo_request_id,
          detail: result.detail,
        });
    },
    /** An outcome that arrives on its own (Belvo's webhook confirming an async deletion). */
    async note(action: AuditAction, who: AuditActor, outcome: string, what: What = {}) {
      await record(action, who, randomUUID(), 'result', outcome, what);
    },
    /** Attempts written before `before` that have no result: what a crash (kill -9) left open. */
    async openAttempts(before: number): Promise<AuditEntry[]> {
      const rows = await db
        .selectFrom('audit_log as a')
        .select(listColumns.map((column) => `a.${column}` as const))
        .where('a.phase', '=', 'attempt')
        .where('a.at', '<', before)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('audit_log as r').select('r.id').whereRef('r.correlation_id', '=', 'a.correlation_id').where('r.phase', '=', 'result'))),
        )
        .orderBy('a.id')
        .execute();
      return rows.map((row) => parseDetail(row as AuditRow));
    },
    /** Records how an open attempt ended, found afterwards; the result shares the attempt's correlation id. */
    async close(attempt: AuditEntry, outcome: string, what: What = {}) {
      await record(attempt.action as AuditAction, { actor: attempt.actor, role: attempt.role }, attempt.correlation_id, 'result', outcome, {
        link_id: what.link_id ?? attempt.link_id,
        external_id: what.external_id ?? attempt.external_id,
        belvo_request_id: what.belvo_request_id ?? null,
        detail: what.detail,
      });
    },
    list,
    actors: async () => (await db.selectFrom('audit_log').select('actor').distinct().orderBy('actor').execute()).map((row) => row.actor),
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
        const rows = await list({ ...filter, before_id: beforeId, limit: Math.min(auditChunkRows, max - sent) });
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
