import { keyset } from '../../db/keyset';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { notifications } from '../../db/schema';
import type { NotificationQuery } from './notifications.schemas';

export type NotificationRow = typeof notifications.$inferSelect;

/** Newest first; `after` is the (createdAt, id) of the previous page's last row. */
export async function selectNotifications(
  executor: Executor,
  filters: NotificationQuery & {
    visibleStructureIds: readonly string[] | undefined;
    after: (string | number | null)[] | undefined;
    limit: number;
  },
): Promise<NotificationRow[]> {
  const { after } = filters;
  const keyOrder = keyset([notifications.createdAt, notifications.id], 'desc', after);
  return executor
    .select()
    .from(notifications)
    .where(
      and(
        filters.visibleStructureIds ? inArray(notifications.structureId, [...filters.visibleStructureIds]) : undefined,
        filters.structureId ? eq(notifications.structureId, filters.structureId) : undefined,
        filters.mailboxId ? eq(notifications.mailboxId, filters.mailboxId) : undefined,
        filters.kind ? eq(notifications.kind, filters.kind) : undefined,
        filters.status ? eq(notifications.status, filters.status) : undefined,
        keyOrder.after,
      ),
    )
    .orderBy(...keyOrder.orderBy)
    .limit(filters.limit + 1);
}

export async function findNotification(executor: Executor, id: string): Promise<NotificationRow | undefined> {
  const [row] = await executor.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

export async function markNotificationSent(executor: Executor, id: string, at: Date): Promise<void> {
  await executor
    .update(notifications)
    .set({ status: 'sent', sentAt: at, attempts: sql`${notifications.attempts} + 1` })
    .where(and(eq(notifications.id, id), eq(notifications.status, 'queued')));
}

/** A failed attempt: counted and explained; `final` when no attempt is left. */
export async function recordDeliveryFailure(
  executor: Executor,
  id: string,
  error: string,
  final: boolean,
): Promise<void> {
  await executor
    .update(notifications)
    .set({ status: final ? 'failed' : 'queued', lastError: error, attempts: sql`${notifications.attempts} + 1` })
    .where(and(eq(notifications.id, id), eq(notifications.status, 'queued')));
}
