import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { transactionWithCopy } from '../../db/copy';
import { recordAudit } from '../../platform/audit/audit';
import { assertOperator } from '../../platform/auth/authorization';
import { AppError } from '../../domain/errors/error-catalogue';
import { enqueueJob } from '../../platform/jobs/job-queue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { ExtractionReader, NotTheExtractionError } from './extraction-reader';
import { createStagingTable, stageProfessionals } from './professionals.repository';
import {
  findExtraction,
  findLatestExtraction,
  findReferenceInForce,
  insertExtraction,
  updateExtraction,
  type ReferenceExtractionRow,
} from './reference.repository';
import { referenceLoadJob } from './reference.jobs';
import type { Reference, ReferenceExtraction } from './reference.schemas';

export function toReferenceExtraction(row: ReferenceExtractionRow): ReferenceExtraction {
  return {
    id: row.id,
    sourceFile: row.sourceFile,
    status: row.status,
    fileSize: row.fileSize,
    linesRead: row.linesRead,
    rows: row.rows,
    malformedLines: row.malformedLines,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    loadedAt: row.loadedAt?.toISOString() ?? null,
  };
}

export interface UploadedFile {
  fileName: string;
  content: Readable;
  /** Whether the upload stopped at the size limit (the stream then just ends early). */
  isTruncated(): boolean;
  /** Reads what follows the file in the request, throwing if anything does; before anything is committed. */
  assertNothingFollows(): Promise<void>;
}

/**
 * Reads the upload as it arrives, in one transaction with the extraction row, its load job and the
 * audit event: the header is checked as soon as it has arrived, the bytes must be UTF-8 text (415
 * otherwise), and the professionals the reference keeps are staged in the extraction's own table
 * while the rest of the file is still arriving. A refused or broken upload leaves nothing behind.
 * The raw file is not kept: writing it to the database would cost as much as the whole load.
 */
export async function uploadExtraction(
  deps: ServiceDependencies,
  context: RequestContext,
  file: UploadedFile,
): Promise<ReferenceExtraction> {
  assertOperator(context.caller);
  const id = randomUUID();
  try {
    return await transactionWithCopy(deps.db, async (tx, copyIn) => {
      await insertExtraction(tx, {
        id,
        sourceFile: file.fileName,
        status: 'queued',
        createdBy: context.caller.id,
        createdAt: deps.clock.now(),
      });
      await createStagingTable(tx, id);
      const reader = new ExtractionReader();
      let size = 0;
      async function* stagedRows(): AsyncGenerator<Buffer> {
        for await (const data of file.content) {
          const bytes = data as Buffer;
          size += bytes.length;
          const rows = reader.push(bytes);
          if (rows.length > 0) yield rows;
        }
        if (file.isTruncated()) {
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `The file is larger than the ${size} bytes accepted (BALISE_REFERENCE_UPLOAD_MAX_BYTES)`,
          );
        }
        await file.assertNothingFollows();
        const rows = reader.end();
        if (rows.length > 0) yield rows;
      }
      await stageProfessionals(tx, copyIn, id, stagedRows());
      const row = await updateExtraction(tx, id, { fileSize: size, ...reader.counts });
      const jobId = await enqueueJob(tx, referenceLoadJob, { extractionId: id });
      const extraction = toReferenceExtraction(row!);
      await recordAudit(tx, deps.clock, context.actor, {
        action: 'reference.extraction.uploaded',
        targetType: 'reference_extraction',
        targetId: id,
        cause: { jobId },
        after: extraction,
      });
      return extraction;
    });
  } catch (error) {
    if (!(error instanceof NotTheExtractionError)) throw error;
    file.content.resume(); // let the rest of the upload drain, so the answer goes out at once
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The file is not the ANS MSSanté extraction (`|`-separated, 31 columns, with its header)',
      error.details,
    );
  }
}

export async function getExtraction(
  deps: ServiceDependencies,
  context: RequestContext,
  id: string,
): Promise<ReferenceExtraction> {
  assertOperator(context.caller);
  const row = await findExtraction(deps.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'Reference extraction not found');
  return toReferenceExtraction(row);
}

/** What is loaded: the reference in force, and the last upload whatever its status. */
export async function getReference(deps: ServiceDependencies): Promise<Reference> {
  const [inForce, latest] = await Promise.all([findReferenceInForce(deps.db), findLatestExtraction(deps.db)]);
  return {
    status: inForce ? 'loaded' : 'none',
    extractionId: inForce?.id ?? null,
    sourceFile: inForce?.sourceFile ?? null,
    rows: inForce?.rows ?? 0,
    loadedAt: inForce?.loadedAt?.toISOString() ?? null,
    latestExtraction: latest ? toReferenceExtraction(latest) : null,
  };
}
