import { recordAudits } from '../../platform/audit/audit';
import { importFileCutoff } from './lifecycle-policy';
import { SWEEP_ACTOR, type SweepContext } from './lifecycle-sweep-context';
import { MAX_LISTED_IDS, type ImportFilesStep } from './lifecycle.schemas';
import { deleteEndedImportFiles } from './import-files.repository';

/** Imports per transaction: an upload is up to 50 MiB, so a batch deletes at most about 1 GiB. */
const BATCH_SIZE = 20;

/**
 * (e) An ended import's upload (names, RPPS, e-mails) goes `importFileRetentionHours` after the
 * end; the import, its counts and its row results stay. Each batch, in one transaction, deletes
 * the files, stamps the imports and audits each deletion (`import.file_deleted`, the sweep as
 * actor); a crash leaves whole batches and the next sweep carries on.
 */
export async function deleteExpiredImportFiles(context: SweepContext): Promise<ImportFilesStep> {
  const cutoff = importFileCutoff(context.now, context.policy);
  const tally: ImportFilesStep = { count: 0, importIds: [] };
  for (;;) {
    const deleted = await context.deps.db.transaction(async (tx) => {
      const rows = await deleteEndedImportFiles(tx, cutoff, context.now, BATCH_SIZE);
      await recordAudits(
        tx,
        context.deps.clock,
        SWEEP_ACTOR,
        rows.map((row) => ({
          action: 'import.file_deleted',
          targetType: 'import',
          targetId: row.id,
          structureId: row.structure_id,
          cause: {
            sweepId: context.sweepId,
            rule: 'import_file_retention',
            retentionHours: context.policy.importFileRetentionHours,
          },
          before: { status: row.status, finishedAt: row.finished_at, fileSize: row.file_size },
          after: { fileDeletedAt: context.now.toISOString() },
        })),
      );
      return rows.map((row) => row.id);
    });
    tally.count += deleted.length;
    tally.importIds.push(...deleted.slice(0, Math.max(0, MAX_LISTED_IDS - tally.importIds.length)));
    if (deleted.length < BATCH_SIZE) return tally;
    await context.onBatch();
  }
}
