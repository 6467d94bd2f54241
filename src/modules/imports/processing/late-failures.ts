import {
  forgetValidatedRows,
  insertImportRows,
  recordValidationProgress,
  type ImportCounts,
} from '../imports.repository';
import type { LateFailure } from '../planning/later-rows';
import type { ImportRun } from './import-run';

/**
 * Records the rows that fail once the whole file is known (`FileLinks.resolve`): their chunks were
 * written already, so what was recorded of them (staged for the apply pass, or, on a dry run,
 * their would-be outcome and invitation in the counts) is replaced by a failed result. One
 * transaction: a crash before it commits leaves the validation incomplete, and it starts over.
 */
export async function recordLateFailures(run: ImportRun, late: readonly LateFailure[]): Promise<void> {
  if (late.length === 0) return;
  const { deps, record } = run;
  const delta: ImportCounts = { created: 0, updated: 0, unchanged: 0, failed: late.length };
  // Outside a dry run the validation pass counts only failed rows: nothing else to take back.
  for (const failure of record.dryRun ? late : []) {
    if (!failure.planned) continue;
    delta[failure.planned.outcome] -= 1;
    if (failure.planned.invitation === 'queued') delta.invitationsQueued = (delta.invitationsQueued ?? 0) - 1;
    if (failure.planned.invitation === 'skipped') delta.invitationsSkipped = (delta.invitationsSkipped ?? 0) - 1;
  }
  await deps.db.transaction(async (tx) => {
    await forgetValidatedRows(
      tx,
      record.id,
      late.map((failure) => failure.rowNumber),
    );
    await insertImportRows(
      tx,
      late.map((failure) => ({
        importId: record.id,
        rowNumber: failure.rowNumber,
        email: failure.email,
        outcome: 'failed' as const,
        mailboxId: null,
        errors: failure.issues,
        warnings: [],
      })),
    );
    await recordValidationProgress(tx, record.id, 0, delta);
  });
}
