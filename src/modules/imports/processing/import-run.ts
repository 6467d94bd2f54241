import type { Executor } from '../../../db/database';
import type { AuditActor } from '../../../platform/audit/audit';
import type { ServiceDependencies } from '../../../platform/request-context';
import type { StructureRecord } from '../../structures';
import type { Quotas } from '../../structures/structures.schemas';
import type { ImportRecord } from '../imports.repository';
import type { SheetLimits } from '../../loaduser-sheet';

/**
 * Points where tests stop an import as a crash would: after a validated chunk is committed,
 * inside an apply batch's transaction before it commits, and after it commits.
 */
export interface ImportHooks {
  afterValidationChunk?(chunk: number): Promise<void>;
  beforeApplyCommit?(batch: number): Promise<void>;
  afterApplyBatch?(batch: number): Promise<void>;
}

export interface ImportJobOptions {
  /** Rows per validated chunk and per applied batch (one transaction each). */
  batchSize: number;
  /** How much of the file reading it may take in (a limit exceeded fails the import). */
  sheetLimits: SheetLimits;
  hooks?: ImportHooks;
}

/** What both passes of one run share. */
export interface ImportRun {
  deps: ServiceDependencies;
  record: ImportRecord;
  structure: StructureRecord;
  options: ImportJobOptions;
  /** Renews the job's lease; throws once another runner took the job, which stops the run. */
  extendLease(): Promise<void>;
  /**
   * Tells the job how far the import got, with the transaction that commits it: rows validated,
   * then the total plus the last applied row number. A run that restarts the validation reaches
   * the same markers again and counts as no progress: a file that crashes its process at row n
   * is not retried forever.
   */
  reportProgress(marker: number, executor: Executor): Promise<void>;
}

export const quotasOf = (structure: StructureRecord): Quotas => ({
  personal: structure.quotaPersonal,
  organisational: structure.quotaOrganisational,
  applicative: structure.quotaApplicative,
});

/** Boxes written by an import are the uploader's doing; the import id is the cause of each event. */
export const importActor = (record: ImportRecord): AuditActor => ({
  type: 'api_key',
  id: record.createdBy,
  requestId: null,
});
