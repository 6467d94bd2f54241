import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { referenceExtractions } from '../../db/schema';

export type ReferenceExtractionRow = typeof referenceExtractions.$inferSelect;

/** The reference in force: the succeeded extraction loaded last. */
export async function findReferenceInForce(executor: Executor): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor
    .select()
    .from(referenceExtractions)
    .where(eq(referenceExtractions.status, 'succeeded'))
    .orderBy(desc(referenceExtractions.loadedAt), desc(referenceExtractions.createdAt))
    .limit(1);
  return row;
}

export async function findLatestExtraction(executor: Executor): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor
    .select()
    .from(referenceExtractions)
    .orderBy(desc(referenceExtractions.createdAt))
    .limit(1);
  return row;
}

export async function findExtraction(executor: Executor, id: string): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor.select().from(referenceExtractions).where(eq(referenceExtractions.id, id));
  return row;
}

export async function insertExtraction(
  executor: Executor,
  values: typeof referenceExtractions.$inferInsert,
): Promise<ReferenceExtractionRow> {
  const [row] = await executor.insert(referenceExtractions).values(values).returning();
  return row!;
}

/** Extractions whose load has not ended: their job may still run. */
export const PENDING_STATUSES = ['queued', 'running'] as const;

export async function updateExtraction(
  executor: Executor,
  id: string,
  values: Partial<typeof referenceExtractions.$inferInsert>,
): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor
    .update(referenceExtractions)
    .set(values)
    .where(eq(referenceExtractions.id, id))
    .returning();
  return row;
}

/** Marks the other succeeded extractions superseded; answers their ids (their rows go next). */
export async function supersedeOtherExtractions(executor: Executor, inForceId: string): Promise<string[]> {
  const rows = await executor
    .update(referenceExtractions)
    .set({ status: 'superseded' })
    .where(and(eq(referenceExtractions.status, 'succeeded'), ne(referenceExtractions.id, inForceId)))
    .returning({ id: referenceExtractions.id });
  return rows.map((row) => row.id);
}

/**
 * Updates the extraction only while its load has not ended (undefined otherwise): a runner that
 * took over a job whose lease had lapsed must not undo what the first one concluded.
 */
export async function updatePendingExtraction(
  executor: Executor,
  id: string,
  values: Partial<typeof referenceExtractions.$inferInsert>,
): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor
    .update(referenceExtractions)
    .set(values)
    .where(and(eq(referenceExtractions.id, id), inArray(referenceExtractions.status, [...PENDING_STATUSES])))
    .returning();
  return row;
}

/** The extraction, locked until the transaction ends: loads of the same extraction take turns. */
export async function lockExtraction(executor: Executor, id: string): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor.select().from(referenceExtractions).where(eq(referenceExtractions.id, id)).for('update');
  return row;
}
