import { and, asc, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { referenceExtractionChunks, referenceExtractions, referenceProfessionals } from '../../db/schema';

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
  const [row] = await executor.select().from(referenceExtractions).orderBy(desc(referenceExtractions.createdAt)).limit(1);
  return row;
}

export async function findExtraction(executor: Executor, id: string): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor.select().from(referenceExtractions).where(eq(referenceExtractions.id, id));
  return row;
}

export async function insertExtraction(executor: Executor, values: typeof referenceExtractions.$inferInsert): Promise<ReferenceExtractionRow> {
  const [row] = await executor.insert(referenceExtractions).values(values).returning();
  return row!;
}

export async function updateExtraction(
  executor: Executor,
  id: string,
  values: Partial<typeof referenceExtractions.$inferInsert>,
): Promise<ReferenceExtractionRow | undefined> {
  const [row] = await executor.update(referenceExtractions).set(values).where(eq(referenceExtractions.id, id)).returning();
  return row;
}

export async function insertChunk(executor: Executor, extractionId: string, position: number, content: string): Promise<void> {
  await executor.insert(referenceExtractionChunks).values({ extractionId, position, content });
}

/**
 * Stored chunks `from` … `from + count - 1` of the upload, in order (fewer past the last one).
 * Several chunks of 1 MiB per query: node-postgres reassembles a large value by concatenating
 * the socket's pieces, so one value of several MiB costs more than several of 1 MiB.
 */
export async function readChunks(executor: Executor, extractionId: string, from: number, count: number): Promise<string[]> {
  const rows = await executor
    .select({ content: referenceExtractionChunks.content })
    .from(referenceExtractionChunks)
    .where(and(
      eq(referenceExtractionChunks.extractionId, extractionId),
      gte(referenceExtractionChunks.position, from),
      lt(referenceExtractionChunks.position, from + count),
    ))
    .orderBy(asc(referenceExtractionChunks.position));
  return rows.map((row) => row.content);
}

export async function deleteChunks(executor: Executor, extractionId: string): Promise<void> {
  await executor.delete(referenceExtractionChunks).where(eq(referenceExtractionChunks.extractionId, extractionId));
}

export interface ReferenceProfessional {
  rpps: string;
  lastName: string;
  firstName: string | null;
  profession: string | null;
}

/** Tabs and line ends would break the batch's layout; names never need them. */
const plain = (text: string | null) => (text === null ? '' : text.replace(/[\t\r\n]/g, ' '));

/**
 * One statement per batch: the rows travel as one text parameter, a line per row and a tab
 * between fields, split server-side. Cheaper on both sides than one parameter per value or
 * per column (no per-element quoting in Node.js, no array literal parsing in PostgreSQL).
 */
export async function insertProfessionals(executor: Executor, extractionId: string, rows: readonly ReferenceProfessional[]): Promise<void> {
  if (rows.length === 0) return;
  const lines = rows.map((row) => `${plain(row.rpps)}\t${plain(row.lastName)}\t${plain(row.firstName)}\t${plain(row.profession)}`).join('\n');
  await executor.execute(sql`
    insert into reference_professionals (extraction_id, rpps, last_name, first_name, profession)
    select ${extractionId}::uuid, split_part(line, E'\t', 1), split_part(line, E'\t', 2),
           nullif(split_part(line, E'\t', 3), ''), nullif(split_part(line, E'\t', 4), '')
      from unnest(string_to_array(${lines}::text, E'\n')) as line`);
}

export async function deleteProfessionalsOf(executor: Executor, extractionIds: readonly string[]): Promise<void> {
  if (extractionIds.length === 0) return;
  await executor.delete(referenceProfessionals).where(inArray(referenceProfessionals.extractionId, [...extractionIds]));
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
