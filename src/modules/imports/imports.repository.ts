import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { insertFromJson, insertFromJsonQuery } from '../../db/bulk-json';
import type { Executor } from '../../db/database';
import { importFileChunks, importRows, imports, importStagedRows } from '../../db/schema';
import type { SpooledFile } from '../../platform/spool-file';
import type { LoaduserRowFields } from '../loaduser-sheet';

export type ImportRecord = typeof imports.$inferSelect;
export type ImportInsert = typeof imports.$inferInsert;
export type ImportRowRecord = typeof importRows.$inferSelect;
export type ImportRowInsert = typeof importRows.$inferInsert;
export type ImportOutcome = ImportRowRecord['outcome'];
export type ImportCounts = ImportRecord['counts'];

/** Every column but the upload itself, which only the job and the report read. */
export async function findImport(
  executor: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ImportRecord | undefined> {
  const query = executor.select().from(imports).where(eq(imports.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/**
 * Bytes per stored piece of an upload (see `importFileChunks`). Reading one back holds it about four
 * times over for a moment (the driver's message, its hex text, the bytes): small pieces keep that
 * transient small, and 80 statements for a 20 MB upload cost nothing measurable.
 */
const CHUNK_BYTES = 256 * 1024;

/** The import and its upload, read from disk and written a piece at a time. */
export async function insertImport(executor: Executor, values: ImportInsert, file: SpooledFile): Promise<ImportRecord> {
  const [row] = await executor.insert(imports).values(values).returning();
  let seq = 0;
  for await (const content of file.pieces(CHUNK_BYTES)) {
    await executor.insert(importFileChunks).values({ importId: row!.id, seq, content });
    seq += 1;
  }
  return row!;
}

export async function listImports(
  executor: Executor,
  options: { structureId: string; after: [string, string] | undefined; limit: number },
): Promise<ImportRecord[]> {
  const after = options.after
    ? or(
        lt(imports.createdAt, new Date(options.after[0])),
        and(eq(imports.createdAt, new Date(options.after[0])), lt(imports.id, options.after[1])),
      )
    : undefined;
  return executor
    .select()
    .from(imports)
    .where(and(eq(imports.structureId, options.structureId), after))
    .orderBy(desc(imports.createdAt), desc(imports.id))
    .limit(options.limit + 1);
}

/**
 * Bytes handed to the parser at a time. Parsers turn a whole piece into rows before they look at
 * backpressure again: with pieces of a megabyte, tens of thousands of rows piled up in memory.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * The stored upload, piece by piece, so that the parser streams it without the whole file in
 * memory (XLSX and CSV; the XLS reader collects its bytes anyway). One stored chunk is read per
 * query: the driver holds it twice over while decoding it (hex text, then bytes).
 */
export async function* readImportFile(executor: Executor, importId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq += 1) {
    const [row] = await executor
      .select({ content: importFileChunks.content })
      .from(importFileChunks)
      .where(and(eq(importFileChunks.importId, importId), eq(importFileChunks.seq, seq)));
    if (!row) return;
    // pg decodes bytea to a Buffer, PGlite to a Uint8Array: a view on the same bytes either way.
    const chunk = Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength);
    for (let start = 0; start < chunk.length; start += PIECE_BYTES) yield chunk.subarray(start, start + PIECE_BYTES);
  }
}

export async function markImportRunning(executor: Executor, id: string, now: Date): Promise<void> {
  await executor
    .update(imports)
    .set({ status: 'running', startedAt: sql`coalesce(${imports.startedAt}, ${now})` })
    .where(eq(imports.id, id));
}

/** A validation pass starts over: what an interrupted one recorded goes. */
export async function resetValidation(executor: Executor, id: string): Promise<void> {
  await executor.delete(importRows).where(eq(importRows.importId, id));
  await executor.delete(importStagedRows).where(eq(importStagedRows.importId, id));
  await executor
    .update(imports)
    .set({ processedRows: 0, appliedThroughRow: 1, counts: { created: 0, updated: 0, unchanged: 0, failed: 0 } })
    .where(eq(imports.id, id));
}

const countsPlus = (delta: ImportCounts) => sql`jsonb_build_object(
  'created', (${imports.counts}->>'created')::int + ${delta.created}::int,
  'updated', (${imports.counts}->>'updated')::int + ${delta.updated}::int,
  'unchanged', (${imports.counts}->>'unchanged')::int + ${delta.unchanged}::int,
  'failed', (${imports.counts}->>'failed')::int + ${delta.failed}::int,
  'invitationsQueued', coalesce((${imports.counts}->>'invitationsQueued')::int, 0) + ${delta.invitationsQueued ?? 0}::int,
  'invitationsSkipped', coalesce((${imports.counts}->>'invitationsSkipped')::int, 0) + ${delta.invitationsSkipped ?? 0}::int)`;

export async function insertImportRows(executor: Executor, rows: readonly ImportRowInsert[]): Promise<void> {
  await insertFromJson(executor, importRows, rows);
}

export const importRowsInsert = (rows: readonly ImportRowInsert[]) => insertFromJsonQuery(importRows, rows);

type StagedRowInsert = typeof importStagedRows.$inferInsert;

/** What validation found of a row that asks nothing of its box (see `importStagedRows`). */
export interface UnchangedAtValidation {
  mailboxId: string;
  boxVersion: number;
  structureVersion: number;
  warnings: NonNullable<StagedRowInsert['unchangedWarnings']>;
}

export interface RowToStage {
  rowNumber: number;
  fields: LoaduserRowFields;
  unchanged?: UnchangedAtValidation;
}

export async function stageRows(executor: Executor, importId: string, rows: readonly RowToStage[]): Promise<void> {
  await insertFromJson(
    executor,
    importStagedRows,
    rows.map(({ rowNumber, fields, unchanged }): StagedRowInsert => ({
      importId,
      rowNumber,
      fields: fields as Record<string, unknown>,
      unchangedMailboxId: unchanged?.mailboxId ?? null,
      unchangedBoxVersion: unchanged?.boxVersion ?? null,
      unchangedStructureVersion: unchanged?.structureVersion ?? null,
      unchangedWarnings: unchanged?.warnings ?? null,
    })),
  );
}

export async function recordValidationProgress(
  executor: Executor,
  id: string,
  rowsRead: number,
  delta: ImportCounts,
): Promise<void> {
  await executor
    .update(imports)
    .set({ processedRows: sql`${imports.processedRows} + ${rowsRead}::int`, counts: countsPlus(delta) })
    .where(eq(imports.id, id));
}

/** Forgets what the validation pass recorded of these rows (their result, their staging): they are judged again. */
export async function forgetValidatedRows(
  executor: Executor,
  id: string,
  rowNumbers: readonly number[],
): Promise<void> {
  if (rowNumbers.length === 0) return;
  await executor
    .delete(importRows)
    .where(and(eq(importRows.importId, id), inArray(importRows.rowNumber, [...rowNumbers])));
  await executor
    .delete(importStagedRows)
    .where(and(eq(importStagedRows.importId, id), inArray(importStagedRows.rowNumber, [...rowNumbers])));
}

/** The end of the validation pass: from now on a resumed job goes straight to applying. */
export async function completeValidation(executor: Executor, id: string, totalRows: number): Promise<void> {
  await executor.update(imports).set({ totalRows }).where(eq(imports.id, id));
}

export async function discardStagedRows(executor: Executor, id: string): Promise<void> {
  await executor.delete(importStagedRows).where(eq(importStagedRows.importId, id));
}

/**
 * The next staged rows after the checkpoint, in row order. They stay staged: the checkpoint,
 * committed with the batch that applies them, is what keeps them from being applied again; the
 * whole staging is dropped in one statement once the import ends.
 */
export async function readStagedRows(
  executor: Executor,
  id: string,
  afterRow: number,
  limit: number,
): Promise<{ rowNumber: number; fields: LoaduserRowFields; isUnchangedAtValidation: boolean }[]> {
  return executor
    .select({
      rowNumber: importStagedRows.rowNumber,
      fields: importStagedRows.fields,
      isUnchangedAtValidation: sql<boolean>`${importStagedRows.unchangedMailboxId} is not null`,
    })
    .from(importStagedRows)
    .where(and(eq(importStagedRows.importId, id), gt(importStagedRows.rowNumber, afterRow)))
    .orderBy(asc(importStagedRows.rowNumber))
    .limit(limit);
}

/**
 * Bulk writes of an import may commit without waiting for the disk: a batch lost in a server
 * crash takes its checkpoint with it (same transaction, and WAL keeps commits in order), so the
 * resumed job applies it again. Nothing else is relaxed, and only in this transaction.
 */
export async function relaxCommitDurability(executor: Executor): Promise<void> {
  await executor.execute(sql`set local synchronous_commit = off`);
}

/** The checkpoint, committed with the batch it follows. */
export const appliedBatchUpdate = (executor: Executor, id: string, lastRow: number, delta: ImportCounts) =>
  executor
    .update(imports)
    .set({ appliedThroughRow: lastRow, counts: countsPlus(delta) })
    .where(eq(imports.id, id));

export async function finishImport(
  executor: Executor,
  id: string,
  outcome: { status: 'succeeded' | 'failed'; error: unknown; totalRows?: number; finishedAt: Date },
): Promise<void> {
  await executor
    .update(imports)
    .set({
      status: outcome.status,
      error: outcome.error ?? null,
      finishedAt: outcome.finishedAt,
      ...(outcome.totalRows === undefined ? {} : { totalRows: outcome.totalRows }),
    })
    .where(eq(imports.id, id));
}

export async function listImportRows(
  executor: Executor,
  options: { importId: string; outcome?: ImportOutcome; afterRow?: number; limit: number },
): Promise<ImportRowRecord[]> {
  return executor
    .select()
    .from(importRows)
    .where(
      and(
        eq(importRows.importId, options.importId),
        options.outcome ? eq(importRows.outcome, options.outcome) : undefined,
        options.afterRow === undefined ? undefined : gt(importRows.rowNumber, options.afterRow),
      ),
    )
    .orderBy(asc(importRows.rowNumber))
    .limit(options.limit);
}
