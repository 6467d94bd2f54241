import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, arrayContained, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { webhookDeliveries, webhooks } from '../../db/schema';

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertWebhook(executor: Executor, values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  const [row] = await executor.insert(webhooks).values(values).returning();
  return row!;
}

export async function findWebhook(
  executor: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<WebhookRow | undefined> {
  const query = executor.select().from(webhooks).where(eq(webhooks.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** Newest first; `withinStructures` keeps the endpoints whose structures all lie in the set (and cover one). */
export function selectWebhooks(
  executor: Executor,
  options: {
    withinStructures: readonly string[] | undefined;
    before: CursorKey | undefined;
    limit: number;
  },
): Promise<WebhookRow[]> {
  const keyOrder = keyset([webhooks.createdAt, webhooks.id], 'desc', options.before);
  const conditions = [
    options.withinStructures
      ? and(
          sql`cardinality(${webhooks.structureIds}) > 0`,
          arrayContained(webhooks.structureIds, [...options.withinStructures]),
        )
      : undefined,
    keyOrder.after,
  ];
  return executor
    .select()
    .from(webhooks)
    .where(and(...conditions))
    .orderBy(...keyOrder.orderBy)
    .limit(options.limit + 1);
}

/** Every change of an endpoint goes through here, so that each bumps its version (its ETag). */
export async function updateWebhookRow(
  executor: Executor,
  id: string,
  values: Omit<Partial<typeof webhooks.$inferInsert>, 'version'>,
): Promise<WebhookRow> {
  const [row] = await executor
    .update(webhooks)
    .set({ ...values, version: sql`${webhooks.version} + 1` })
    .where(eq(webhooks.id, id))
    .returning();
  return row!;
}

/** Its deliveries go with it (foreign key, on delete cascade); jobs still queued for them find nothing. */
export async function deleteWebhookRow(executor: Executor, id: string): Promise<void> {
  await executor.delete(webhooks).where(eq(webhooks.id, id));
}

export async function insertDelivery(
  executor: Executor,
  values: typeof webhookDeliveries.$inferInsert,
): Promise<WebhookDeliveryRow> {
  const [row] = await executor.insert(webhookDeliveries).values(values).returning();
  return row!;
}

export async function findDelivery(
  executor: Executor,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await executor
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)))
    .for('update');
  return row;
}

export function selectDeliveries(
  executor: Executor,
  webhookId: string,
  options: { before: CursorKey | undefined; limit: number },
): Promise<WebhookDeliveryRow[]> {
  const keyOrder = keyset([webhookDeliveries.createdAt, webhookDeliveries.id], 'desc', options.before);
  return executor
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), keyOrder.after))
    .orderBy(...keyOrder.orderBy)
    .limit(options.limit + 1);
}

export async function planRedelivery(executor: Executor, id: string, at: Date): Promise<WebhookDeliveryRow> {
  const [row] = await executor
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: at })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row!;
}
