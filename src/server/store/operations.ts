import { sql } from 'kysely';
import type { Operation } from '../../contract/bff/operations.ts';
import type { Clock } from '../../contract/clock.ts';
import { greatest, locks, serialized, type Db } from './database.ts';
import type { Schema } from './schema.ts';

/** Belvo's documented limits (seed 000: 5 sync deletions a minute; seed 004: 10-minute refresh cooldown). */
export const syncDeleteLimit = 5;
export const syncDeleteWindowMs = 60_000;
export const refreshCooldownMs = 10 * 60_000;

type OperationRow = Schema['operations'];

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

export interface Cooldown {
  link_id: string;
  ends_at: number;
  source: string;
}

const toOperation = (row: OperationRow): Operation => ({
  ...row,
  resources: row.resources ? (JSON.parse(row.resources) as string[]) : null,
  detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
});

export function createOperationsStore(db: Db, clock: Clock) {
  const max = greatest(db);

  const budgetOn = async (executor: Db) => {
    const now = clock.now();
    const inWindow = await executor.selectFrom('sync_deletes').select('at').where('at', '>', now - syncDeleteWindowMs).orderBy('at').execute();
    const blocked = await executor
      .selectFrom('rate_limits')
      .select('blocked_until')
      .where('name', '=', 'sync_delete')
      .where('blocked_until', '>', now)
      .executeTakeFirst();
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
    async cooldown(linkId: string): Promise<Cooldown | null> {
      return (
        (await db
          .selectFrom('refresh_cooldowns')
          .select(['link_id', 'ends_at', 'source'])
          .where('link_id', '=', linkId)
          .where('ends_at', '>', clock.now())
          .executeTakeFirst()) ?? null
      );
    },
    /** A cooldown only ever lengthens: the later end wins, whichever instance writes first. */
    async setCooldown(linkId: string, endsAt: number, source: 'linkdesk' | 'belvo') {
      await db
        .insertInto('refresh_cooldowns')
        .values({ link_id: linkId, ends_at: endsAt, source, updated_at: clock.now() })
        .onConflict((conflict) =>
          conflict.column('link_id').doUpdateSet({
            ends_at: sql<number>`${max}(refresh_cooldowns.ends_at, excluded.ends_at)`,
            source: (eb) => eb.ref('excluded.source'),
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          }),
        )
        .execute();
    },
    async activeCooldowns(): Promise<Cooldown[]> {
      return db.selectFrom('refresh_cooldowns').select(['link_id', 'ends_at', 'source']).where('ends_at', '>', clock.now()).orderBy('ends_at').execute();
    },
    budget: () => budgetOn(db),
    /**
     * Takes a sync-delete slot before Belvo is asked, so concurrent users (on every instance) can
     * never exceed five: the count and the insert are one serialised transaction.
     */
    reserveSyncDelete(linkId: string): Promise<{ ok: true; id: number } | { ok: false; retryAt: number }> {
      return serialized(db, locks.syncDeletes, async (trx) => {
        const current = await budgetOn(trx);
        if (current.remaining <= 0) return { ok: false, retryAt: current.next_slot_at ?? clock.now() + syncDeleteWindowMs };
        const row = await trx
          .insertInto('sync_deletes')
          .values({ link_id: linkId, at: clock.now(), state: 'reserved' })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { ok: true, id: Number(row.id) };
      });
    },
    async confirmSyncDelete(id: number) {
      await db.updateTable('sync_deletes').set({ state: 'done' }).where('id', '=', id).execute();
    },
    async releaseSyncDelete(id: number) {
      await db.deleteFrom('sync_deletes').where('id', '=', id).execute();
    },
    /** When this link was deleted synchronously by Linkdesk in the last minute, if it was. */
    async recentSyncDelete(linkId: string): Promise<number | null> {
      const row = await db
        .selectFrom('sync_deletes')
        .select('at')
        .where('link_id', '=', linkId)
        .where('state', '=', 'done')
        .where('at', '>', clock.now() - syncDeleteWindowMs)
        .orderBy('at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.at ?? null;
    },
    async blockSyncDeletes(until: number) {
      await db
        .insertInto('rate_limits')
        .values({ name: 'sync_delete', blocked_until: until, updated_at: clock.now() })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({
            blocked_until: sql<number>`${max}(rate_limits.blocked_until, excluded.blocked_until)`,
            updated_at: (eb) => eb.ref('excluded.updated_at'),
          }),
        )
        .execute();
    },
    async addOperation(operation: Omit<Operation, 'state' | 'completed_at' | 'detail'>) {
      await db
        .insertInto('operations')
        .values({
          request_id: operation.request_id,
          kind: operation.kind,
          link_id: operation.link_id,
          external_id: operation.external_id,
          institution: operation.institution,
          resources: operation.resources ? JSON.stringify(operation.resources) : null,
          state: 'pending',
          requested_at: operation.requested_at,
          requested_by: operation.requested_by,
        })
        .onConflict((conflict) => conflict.column('request_id').doNothing())
        .execute();
    },
    async operation(requestId: string) {
      const row = await db.selectFrom('operations').selectAll().where('request_id', '=', requestId).executeTakeFirst();
      return row ? toOperation(row) : null;
    },
    async pendingDelete(linkId: string) {
      const row = await db
        .selectFrom('operations')
        .selectAll()
        .where('link_id', '=', linkId)
        .where('kind', '=', 'delete')
        .where('state', '=', 'pending')
        .orderBy('requested_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toOperation(row) : null;
    },
    /** Whether Linkdesk asked Belvo to delete this link asynchronously and it was accepted: `pending`, `done` (confirmed), or null. */
    async deleteRecorded(linkId: string): Promise<'pending' | 'done' | null> {
      const row = await db
        .selectFrom('operations')
        .select('state')
        .where('link_id', '=', linkId)
        .where('kind', '=', 'delete')
        .where('state', 'in', ['pending', 'done'])
        .orderBy('requested_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return (row?.state as 'pending' | 'done' | undefined) ?? null;
    },
    async pendingOperations() {
      return (await db.selectFrom('operations').selectAll().where('state', '=', 'pending').orderBy('requested_at').execute()).map(toOperation);
    },
    async recentlyCompleted(sinceMs: number) {
      return (
        await db
          .selectFrom('operations')
          .selectAll()
          .where('state', '!=', 'pending')
          .where('completed_at', '>', clock.now() - sinceMs)
          .orderBy('completed_at')
          .execute()
      ).map(toOperation);
    },
    async completeOperation(requestId: string, state: 'done' | 'failed', detail: Record<string, unknown> | null = null) {
      await db
        .updateTable('operations')
        .set({ state, completed_at: clock.now(), detail: detail ? JSON.stringify(detail) : null })
        .where('request_id', '=', requestId)
        .execute();
    },
    /**
     * Reads an operation and writes what `change` makes of it, with no other change in between
     * (webhooks for the same operation arrive together, at any instance). `change` returns null to
     * leave it as it is.
     */
    changeOperation(requestId: string, change: (operation: Operation) => { state: Operation['state']; detail: Record<string, unknown> } | null): Promise<Operation | null> {
      return serialized(db, locks.operations, async (trx) => {
        const row = await trx.selectFrom('operations').selectAll().where('request_id', '=', requestId).executeTakeFirst();
        if (!row) return null;
        const operation = toOperation(row);
        const next = change(operation);
        if (!next) return operation;
        const completedAt = next.state !== 'pending' && operation.state === 'pending' ? clock.now() : operation.completed_at;
        await trx
          .updateTable('operations')
          .set({ state: next.state, detail: JSON.stringify(next.detail), completed_at: completedAt })
          .where('request_id', '=', requestId)
          .execute();
        return { ...operation, state: next.state, detail: next.detail, completed_at: completedAt };
      });
    },
    async updateOperationDetail(requestId: string, detail: Record<string, unknown>) {
      await db.updateTable('operations').set({ detail: JSON.stringify(detail) }).where('request_id', '=', requestId).execute();
    },
    async linkOperations(linkId: string) {
      return (
        await db.selectFrom('operations').selectAll().where('link_id', '=', linkId).orderBy('requested_at', 'desc').limit(50).execute()
      ).map(toOperation);
    },
    async hasWebhook(webhookId: string) {
      return (await db.selectFrom('webhooks').select('id').where('webhook_id', '=', webhookId).executeTakeFirst()) !== undefined;
    },
    async addWebhook(webhook: StoredWebhook) {
      await db.insertInto('webhooks').values(webhook).execute();
    },
    /**
     * Keeps a delivery under its webhook_id unless one is already kept: true for the one caller
     * (on any instance) that should apply it. The unique webhook_id decides, not a read before.
     */
    async claimWebhook(webhook: StoredWebhook & { webhook_id: string }): Promise<boolean> {
      const row = await db
        .insertInto('webhooks')
        .values(webhook)
        .onConflict((conflict) => conflict.column('webhook_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async setWebhookOutcome(webhookId: string, outcome: StoredWebhook['outcome']) {
      await db.updateTable('webhooks').set({ outcome }).where('webhook_id', '=', webhookId).execute();
    },
    /** Gives a claimed delivery back (applying it failed), so Belvo's retry is applied. */
    async releaseWebhook(webhookId: string) {
      await db.deleteFrom('webhooks').where('webhook_id', '=', webhookId).execute();
    },
    async linkWebhooks(linkId: string) {
      return db.selectFrom('webhooks').selectAll().where('link_id', '=', linkId).orderBy('received_at', 'desc').limit(100).execute();
    },
    async recentWebhooks(limit = 100) {
      return db.selectFrom('webhooks').selectAll().orderBy('id', 'desc').limit(limit).execute();
    },
    async prune() {
      const now = clock.now();
      await db.deleteFrom('refresh_cooldowns').where('ends_at', '<=', now).execute();
      await db.deleteFrom('sync_deletes').where('at', '<=', now - syncDeleteWindowMs).execute();
    },
  };
}
export type OperationsStore = ReturnType<typeof createOperationsStore>;
