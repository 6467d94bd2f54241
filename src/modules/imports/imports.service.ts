import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import { enqueueJob } from '../../platform/jobs/job-queue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { primeRows } from '../../platform/downloads';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { findStructure } from '../structures';
import type { ImportUpload } from './import-upload';
import {
  insertImport,
  listImportRows as selectImportRows,
  listImports as selectImports,
  type ImportRecord,
  type ImportRowRecord,
} from './imports.repository';
import type { Import, ImportRow, ImportRowsQuery } from './imports.schemas';
import { importJob } from './imports.jobs';
import type { ImportProblem } from './processing/import-problems';
import { annotatedRows } from './import-report';
import { toImport } from './import-view';
import {
  detectSheetFormat,
  isSheetError,
  SHEET_ERROR_CODES,
  type SheetFormat,
  type SheetLimits,
} from '../loaduser-sheet';

const toImportRow = (row: ImportRowRecord): ImportRow => ({
  rowNumber: row.rowNumber,
  email: row.email,
  outcome: row.outcome,
  mailboxId: row.mailboxId,
  errors: row.errors.map((error) => ({ row: row.rowNumber, ...error })),
  warnings: row.warnings.map((warning) => ({ row: row.rowNumber, ...warning })),
});

/** The format from the file's first bytes; what no reader knows is refused before anything is stored. */
function detectUploadFormat(upload: ImportUpload): SheetFormat {
  try {
    return detectSheetFormat(upload.fileName, upload.file.head);
  } catch (error) {
    if (!isSheetError(error)) throw error;
    const detail = [{ field: 'file', code: error.code, message: error.message }];
    if (error.code === 'FILE_EMPTY') throw new AppError('BAD_REQUEST', error.message, detail);
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', error.message, detail);
  }
}

/**
 * Stores the upload and queues its processing, in one transaction: the import exists, with its
 * bytes and its job, or not at all.
 */
export async function createImport(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  upload: ImportUpload,
): Promise<Import> {
  const format = detectUploadFormat(upload);
  return deps.db.transaction(async (tx) => {
    if (!(await findStructure(tx, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
    const record = await insertImport(
      tx,
      {
        id: randomUUID(),
        structureId,
        fileName: upload.fileName.slice(0, 255),
        format,
        fileSize: upload.file.size,
        ...upload.options,
        createdBy: context.caller.id,
        createdAt: deps.clock.now(),
      },
      upload.file,
    );
    await enqueueJob(tx, importJob, { importId: record.id });
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'import.created',
      targetType: 'import',
      targetId: record.id,
      structureId,
      after: { fileName: record.fileName, format, fileSize: record.fileSize, options: upload.options },
    });
    return toImport(record);
  });
}

export async function listImports(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
  query: { limit: number; cursor?: string },
): Promise<Page<Import>> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
  const records = await selectImports(deps.db, { structureId, after, limit: query.limit });
  return toPage(records, query.limit, (record) => [record.createdAt.toISOString(), record.id], toImport);
}

export async function listImportRows(
  deps: ServiceDependencies,
  importId: string,
  query: ImportRowsQuery & { limit: number; cursor?: string },
): Promise<Page<ImportRow>> {
  const after = decodeCursor(query.cursor, 1);
  const afterRow = after === undefined ? undefined : Number(after[0]);
  const rows = await selectImportRows(deps.db, { importId, outcome: query.outcome, afterRow, limit: query.limit + 1 });
  return toPage(rows, query.limit, (row) => [row.rowNumber], toImportRow);
}

/**
 * The annotated file's rows, once the import has finished with a file that could be read;
 * the first rows are fetched before answering so that a failure is a proper problem.
 */
export async function openImportReport(
  deps: ServiceDependencies,
  record: ImportRecord,
  limits: SheetLimits,
): Promise<AsyncIterable<string[]>> {
  if (record.status === 'queued' || record.status === 'running') {
    throw new AppError(
      'CONFLICT',
      'The import is still running: ask for its report once its status is succeeded or failed',
    );
  }
  if (record.fileDeletedAt) {
    throw new AppError(
      'IMPORT_FILE_DELETED',
      `The upload was deleted on ${record.fileDeletedAt.toISOString()}, its retention period after the import ended: ` +
        'the annotated report cannot be made any more; the row results stay at /rows',
    );
  }
  const code = (record.error as ImportProblem | null)?.code;
  if ((SHEET_ERROR_CODES as readonly string[]).includes(code ?? '')) {
    throw new AppError(
      'CONFLICT',
      `The file could not be read (${code}): there are no rows to annotate; see the import's error`,
    );
  }
  return primeRows(annotatedRows(deps.db, record, limits));
}
