import type { Executor } from '../../../db/database';
import { recordAudit, systemActor } from '../../../platform/audit/audit';
import type { AbandonedJobContext, JobContext } from '../../../platform/jobs/job-definition';
import { LeaseLostError } from '../../../platform/jobs/job-runner';
import type { ServiceDependencies } from '../../../platform/request-context';
import { findStructure } from '../../structures';
import type { ImportJobPayload } from '../imports.jobs';
import {
  completeValidation,
  discardStagedRows,
  findImport,
  finishImport,
  markImportRunning,
  resetValidation,
} from '../imports.repository';
import { toImport } from '../import-view';
import { runApplyPass } from './apply-pass';
import { abandonedProblem, crashedProblem, rowsInvalidProblem, sheetProblem } from './import-problems';
import { importActor, type ImportJobOptions, type ImportRun } from './import-run';
import { runValidationPass } from './validation-pass';

/** What an import job answers (its `result`): how the run ended, or that there was nothing to do. */
export type ImportJobResult =
  | { importId: string; skipped: true }
  | { importId: string; status: 'succeeded'; dryRun?: true; rows?: number }
  | { importId: string; status: 'failed'; code?: string; failed?: number };

/**
 * Runs (or resumes) one import. Validation runs while the file has not been read to its end
 * (`totalRows` unset) and starts over if it was interrupted; applying resumes after the last
 * committed batch. A file-level problem, or rows failing under `abort`, ends the import as
 * `failed` with a problem object; unexpected errors are retried by the queue, and the last
 * attempt marks the import failed.
 */
export async function processImportJob(
  deps: ServiceDependencies,
  context: JobContext<ImportJobPayload>,
  options: ImportJobOptions,
): Promise<ImportJobResult> {
  const { importId } = context.job.payload;
  const isLastAttempt = context.job.attempts >= context.job.maxAttempts;
  try {
    return await processImport(deps, importId, options, {
      extendLease: () => context.extendLease(),
      reportProgress: (marker, executor) => context.reportProgress(marker, executor),
    });
  } catch (error) {
    // A runner that lost the job to another one leaves the import to it.
    if (isLastAttempt && !(error instanceof LeaseLostError)) {
      await concludeImport(deps, importId, { status: 'failed', error: crashedProblem() });
    }
    throw error;
  }
}

/**
 * The import's previous attempt stopped without progress before its lease ran out: its process
 * most likely died on the file (a crafted spreadsheet exhausting memory). Running it again would
 * kill the next process too, up to five times, so the import ends `failed` with
 * `IMPORT_CRASHED`, and the abandoned attempt is audited. The runner then marks the job failed.
 */
export async function failAbandonedImport(
  deps: ServiceDependencies,
  context: AbandonedJobContext<ImportJobPayload>,
): Promise<void> {
  const { importId } = context.job.payload;
  await deps.db.transaction(async (tx) => {
    const record = await findImport(tx, importId, { lock: true });
    if (!record || record.status === 'succeeded' || record.status === 'failed') return;
    const problem = abandonedProblem();
    await finishImport(tx, importId, { status: 'failed', error: problem, finishedAt: deps.clock.now() });
    const failed = await findImport(tx, importId);
    await recordAudit(tx, deps.clock, systemActor(context.job.name), {
      action: 'import.crashed',
      targetType: 'import',
      targetId: importId,
      structureId: record.structureId,
      cause: { jobId: context.job.id, abandonedAttempt: context.job.attempts - 1 },
      before: toImport(record),
      after: failed ? toImport(failed) : null,
    });
  });
}

/**
 * Ends an import and records it (`import.succeeded` or `import.failed`, with the import as it
 * ends), in one transaction: a consumer of the event feed learns of the end, never of an end
 * that did not commit. The actor is the key that uploaded the file, like the rows' changes.
 */
async function concludeImport(
  deps: ServiceDependencies,
  importId: string,
  outcome: { status: 'succeeded' | 'failed'; error: unknown; totalRows?: number },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await finishImport(tx, importId, { ...outcome, finishedAt: deps.clock.now() });
    const record = await findImport(tx, importId);
    if (!record) return;
    await recordAudit(tx, deps.clock, importActor(record), {
      action: outcome.status === 'succeeded' ? 'import.succeeded' : 'import.failed',
      targetType: 'import',
      targetId: importId,
      structureId: record.structureId,
      after: toImport(record),
    });
  });
}

/** What a run tells its job: a renewal of its lease, and how far its durable work got. */
export interface ImportJobLink {
  extendLease(): Promise<void>;
  reportProgress(marker: number, executor: Executor): Promise<void>;
}

const UNLINKED: ImportJobLink = { extendLease: async () => undefined, reportProgress: async () => undefined };

export async function processImport(
  deps: ServiceDependencies,
  importId: string,
  options: ImportJobOptions,
  link: ImportJobLink = UNLINKED,
): Promise<ImportJobResult> {
  const record = await findImport(deps.db, importId);
  if (!record || record.status === 'succeeded' || record.status === 'failed') return { importId, skipped: true };
  const structure = await findStructure(deps.db, record.structureId);
  if (!structure) return { importId, skipped: true };
  await markImportRunning(deps.db, importId, deps.clock.now());
  const run: ImportRun = { deps, record, structure, options, ...link };
  const finish = (status: 'succeeded' | 'failed', error: unknown, totalRows?: number) =>
    concludeImport(deps, importId, { status, error, totalRows });

  if (record.totalRows === null) {
    const validation = await runValidationPass(run);
    if (validation.kind === 'file-error') {
      // The file is refused as a whole: the results of the rows read before the failure go too,
      // or a file past the row limit would leave up to that many rows in the database each time.
      await resetValidation(deps.db, importId);
      await finish('failed', sheetProblem(validation.error));
      return { importId, status: 'failed', code: validation.error.code };
    }
    if (record.dryRun) {
      await finish('succeeded', null, validation.totalRows);
      return { importId, status: 'succeeded', dryRun: true, rows: validation.totalRows };
    }
    if (record.onError === 'abort' && validation.failed > 0) {
      await discardStagedRows(deps.db, importId);
      await finish('failed', rowsInvalidProblem(validation.failed), validation.totalRows);
      return { importId, status: 'failed', failed: validation.failed };
    }
    await completeValidation(deps.db, importId, validation.totalRows);
  }
  await runApplyPass(run);
  await discardStagedRows(deps.db, importId);
  await finish('succeeded', null);
  return { importId, status: 'succeeded' };
}
