import type { Operation } from '../../contract/bff/operations.ts';
import type { Clock } from '../../contract/clock.ts';
import type { Db } from './database.ts';

/** Belvo's documented limits (seed 000: 5 sync deletions a minute; seed 004: 10-minute refresh cooldown). */
export const syncDeleteLimit = 5;
export const syncDeleteWindowMs = 60_000;
export const refreshCooldownMs = 10 * 60_000;

interface OperationRow extends Omit<Operation, 'resources' | 'detail'> {
  resources: string | null;
  detail: string | null;
}

export interface StoredWebhook {
  webhook_id: string | null;
  received_at: number;
  webhook_type: string | null;
  webhook_code: string | null;
  link_id: string | null;
  request_id: string | null;
  outcome: 'processed' | 'unmatched' | 'unknown' | 'malformed';
  problem: string | null;
  payload: string;
}

const toOperation = (row: OperationRow): Operation => ({
  ...row,
  resources: row.resources ? (JSON.parse(row.resources) as string[]) : null,
  detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
});

export function createOperationsStore(db: Db, clock: Clock) {
  const statements = {
    cooldown: db.prepare('SELECT link_id, ends_at, source FROM refresh_cooldowns WHERE link_id = ? AND ends_at > ?'),
    activeCooldowns: db.prepare('SELECT link_id, ends_at, source FROM refresh_cooldowns WHERE ends_at > ? ORDER BY ends_at'),
    setCooldown: db.prepare(
      `INSERT INTO refresh_cooldowns (link_id, ends_at, source, updated_at) VALUES (@link_id, @ends_at, @source, @now)
       ON CONFLICT (link_id) DO UPDATE SET ends_at = MAX(ends_at, excluded.ends_at), source = excluded.source, updated_at = excluded.updated_at`,
    ),
    pruneCooldowns: db.prepare('DELETE FROM refresh_cooldowns WHERE ends_at <= ?'),
    deletesInWindow: db.prepare('SELECT id, link_id, at, state FROM sync_deletes WHERE at > ? ORDER BY at'),
    reserveDelete: db.prepare("INSERT INTO sync_deletes (link_id, at, state) VALUES (?, ?, 'reserved')"),
    confirmDelete: db.prepare("UPDATE sync_deletes SET state = 'done' WHERE id = ?"),
    releaseDelete: db.prepare('DELETE FROM sync_deletes WHERE id = ?'),
    recentDelete: db.prepare("SELECT at FROM sync_deletes WHERE link_id = ? AND state = 'done' AND at > ? ORDER BY at DESC LIMIT 1"),
    pruneDeletes: db.prepare('DELETE FROM sync_deletes WHERE at <= ?'),
    blockedUntil: db.prepare('SELECT blocked_until FROM rate_limits WHERE name = ? AND blocked_until > ?'),
    block: db.prepare(
      `INSERT INTO rate_limits (name, blocked_until, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET blocked_until = MAX(blocked_until, excluded.blocked_until), updated_at = excluded.updated_at`,
    ),
    addOperation: db.prepare(
      `INSERT INTO operations (request_id, kind, link_id, external_id, institution, resources, state, requested_at, requested_by)
       VALUES (@request_id, @kind, @link_id, @external_id, @institution, @resources, 'pending', @requested_at, @requested_by)
       ON CONFLICT (request_id) DO NOTHING`,
    ),
    operation: db.prepare('SELECT * FROM operations WHERE request_id = ?'),
    pendingDelete: db.prepare("SELECT * FROM operations WHERE link_id = ? AND kind = 'delete' AND state = 'pending' ORDER BY requested_at DESC LIMIT 1"),
    deleteRecorded: db.prepare("SELECT state FROM operations WHERE link_id = ? AND kind = 'delete' AND state IN ('pending', 'done') ORDER BY requested_at DESC LIMIT 1"),
    pending: db.prepare("SELECT * FROM operations WHERE state = 'pending' ORDER BY requested_at"),
    recentlyCompleted: db.prepare("SELECT * FROM operations WHERE state != 'pending' AND completed_at > ? ORDER BY completed_at"),
    complete: db.prepare('UPDATE operations SET state = @state, completed_at = @completed_at, detail = @detail WHERE request_id = @request_id'),
    updateDetail: db.prepare('UPDATE operations SET detail = @detail WHERE request_id = @request_id'),
    linkOperations: db.prepare('SELECT * FROM operations WHERE link_id = ? ORDER BY requested_at DESC LIMIT 50'),
    webhookExists: db.prepare('SELECT 1 FROM webhooks WHERE webhook_id = ?'),
    addWebhook: db.prepare(
      `INSERT INTO webhooks (webhook_id, received_at, webhook_type, webhook_code, link_id, request_id, outcome, problem, payload)
       VALUES (@webhook_id, @received_at, @webhook_type, @webhook_code, @link_id, @request_id, @outcome, @problem, @payload)`,
    ),
    linkWebhooks: db.prepare('SELECT * FROM webhooks WHERE link_id = ? ORDER BY received_at DESC LIMIT 100'),
    recentWebhooks: db.prepare('SELECT * FROM webhooks ORDER BY id DESC LIMIT ?'),
  };

  const budget = () => {
    const now = clock.now();
    const inWindow = statements.deletesInWindow.all(now - syncDeleteWindowMs) as { at: number }[];
    const blocked = statements.blockedUntil.get('sync_delete', now) as { blocked_until: number } | undefined;
    const remaining = Math.max(0, syncDeleteLimit - inWindow.length);
    // When the budget is spent, the next slot frees when the oldest deletion leaves the window.
    const nextSlotAt = remaining > 0 ? null : (inWindow[0]?.at ?? now) + syncDeleteWindowMs;
    return {
      limit: syncDeleteLimit,
      window_ms: syncDeleteWindowMs,
      used: inWindow.length,
      remaining: blocked ? 0 : remaining,
      next_slot_at: blocked ? Math.max(blocked.blocked_until, nextSlotAt ?? 0) : nextSlotAt,
      blocked_until: blocked?.blocked_until ?? null,
    };
  };

  return {
    cooldown(linkId: string) {
      return (statements.cooldown.get(linkId, clock.now()) as { link_id: string; ends_at: number; source: string } | undefined) ?? null;
    },
    setCooldown(linkId: string, endsAt: number, source: 'linkdesk' | 'belvo') {
      statements.setCooldown.run({ link_id: linkId, ends_at: endsAt, source, now: clock.now() });
    },
    activeCooldowns() {
      return statements.activeCooldowns.all(clock.now()) as { link_id: string; ends_at: number; source: string }[];
    },
    budget,
    /** Takes a sync-delete slot before Belvo is asked, so concurrent users can never exceed five. */
    reserveSyncDelete: db.transaction((linkId: string): { ok: true; id: number } | { ok: false; retryAt: number } => {
      const current = budget();
      if (current.remaining <= 0) return { ok: false, retryAt: current.next_slot_at ?? clock.now() + syncDeleteWindowMs };
      const result = statements.reserveDelete.run(linkId, clock.now());
      return { ok: true, id: Number(result.lastInsertRowid) };
    }),
    confirmSyncDelete(id: number) {
      statements.confirmDelete.run(id);
    },
    releaseSyncDelete(id: number) {
      statements.releaseDelete.run(id);
    },
    /** When this link was deleted synchronously by Linkdesk in the last minute, if it was. */
    recentSyncDelete(linkId: string) {
      const row = statements.recentDelete.get(linkId, clock.now() - syncDeleteWindowMs) as { at: number } | undefined;
      return row?.at ?? null;
    },
    blockSyncDeletes(until: number) {
      statements.block.run('sync_delete', until, clock.now());
    },
    addOperation(operation: Omit<Operation, 'state' | 'completed_at' | 'detail'>) {
      statements.addOperation.run({ ...operation, resources: operation.resources ? JSON.stringify(operation.resources) : null });
    },
    operation(requestId: string) {
      const row = statements.operation.get(requestId) as OperationRow | undefined;
      return row ? toOperation(row) : null;
    },
    pendingDelete(linkId: string) {
      const row = statements.pendingDelete.get(linkId) as OperationRow | undefined;
      return row ? toOperation(row) : null;
    },
    /** Whether Linkdesk asked Belvo to delete this link asynchronously and it was accepted: `pending`, `done` (confirmed), or null. */
    deleteRecorded(linkId: string): 'pending' | 'done' | null {
      return ((statements.deleteRecorded.get(linkId) as { state: 'pending' | 'done' } | undefined)?.state) ?? null;
    },
    pendingOperations() {
      return (statements.pending.all() as OperationRow[]).map(toOperation);
    },
    recentlyCompleted(sinceMs: number) {
      return (statements.recentlyCompleted.all(clock.now() - sinceMs) as OperationRow[]).map(toOperation);
    },
    completeOperation(requestId: string, state: 'done' | 'failed', detail: Record<string, unknown> | null = null) {
      statements.complete.run({ request_id: requestId, state, completed_at: clock.now(), detail: detail ? JSON.stringify(detail) : null });
    },
    updateOperationDetail(requestId: string, detail: Record<string, unknown>) {
      statements.updateDetail.run({ request_id: requestId, detail: JSON.stringify(detail) });
    },
    linkOperations(linkId: string) {
      return (statements.linkOperations.all(linkId) as OperationRow[]).map(toOperation);
    },
    hasWebhook(webhookId: string) {
      return statements.webhookExists.get(webhookId) !== undefined;
    },
    addWebhook(webhook: StoredWebhook) {
      statements.addWebhook.run(webhook);
    },
    linkWebhooks(linkId: string) {
      return statements.linkWebhooks.all(linkId) as (StoredWebhook & { id: number })[];
    },
    recentWebhooks(limit = 100) {
      return statements.recentWebhooks.all(limit) as (StoredWebhook & { id: number })[];
    },
    prune() {
      const now = clock.now();
      statements.pruneCooldowns.run(now);
      statements.pruneDeletes.run(now - syncDeleteWindowMs);
    },
  };
}
export type OperationsStore = ReturnType<typeof createOperationsStore>;
