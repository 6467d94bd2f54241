import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { recordAudit } from '../../platform/audit/audit';
import { assertOperator } from '../../platform/auth/authorization';
import { AppError, type ErrorDetail } from '../../platform/errors/error-catalogue';
import { enqueueJob } from '../../platform/jobs/job-queue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { checkExtractionHeader, NotUtf8TextError, TextChunker } from './extraction-format';
import { findExtraction, findLatestExtraction, findReferenceInForce, insertChunk, insertExtraction, updateExtraction, type ReferenceExtractionRow } from './reference.repository';
import type { Reference, ReferenceExtraction } from './reference.schemas';

export const REFERENCE_LOAD_JOB = 'reference.load';
/** Stored chunk size (at least; cut after the next line end): the loader holds a chunk or two at a time. */
export const CHUNK_BYTES = 1024 * 1024;
/** The header is the first line; a longer first "line" is not the extraction. */
const HEADER_MAX_BYTES = 16 * 1024;

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
}

function notTheExtraction(content: Readable, errors: ErrorDetail[] = [{ field: 'file', code: 'EXTRACTION_LAYOUT', message: 'No header line found' }]) {
  content.resume(); // let the rest of the upload drain, so the answer goes out at once
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The file is not the ANS MSSanté extraction (`|`-separated, 31 columns, with its header)', errors);
}

/** The first line of the upload, once it has arrived: undefined while it has not. */
function headerOf(start: Buffer): string | undefined {
  const newline = start.indexOf(0x0a);
  if (newline === -1 && start.length <= HEADER_MAX_BYTES) return undefined;
  return start.subarray(0, newline === -1 ? HEADER_MAX_BYTES : newline).toString('utf8');
}

/**
 * Stores the upload in text chunks, with the extraction row, its load job and the audit event, in
 * one transaction: a refused or broken upload leaves nothing behind. The header is checked as
 * soon as it has arrived, and the bytes must be UTF-8 text (415 otherwise); the rows are the job's.
 */
export async function uploadExtraction(deps: ServiceDependencies, context: RequestContext, file: UploadedFile): Promise<ReferenceExtraction> {
  assertOperator(context.caller);
  const id = randomUUID();
  return deps.db.transaction(async (tx) => {
    await insertExtraction(tx, { id, sourceFile: file.fileName, status: 'queued', createdBy: context.caller.apiKeyId, createdAt: deps.clock.now() });
    const chunker = new TextChunker(CHUNK_BYTES);
    let position = 0;
    let size = 0;
    let start: Buffer | undefined = Buffer.alloc(0);
    // One insert in flight while the next megabyte arrives.
    let stored: Promise<void> = Promise.resolve();
    const store = async (chunks: string[]) => {
      for (const chunk of chunks) {
        await stored;
        stored = insertChunk(tx, id, position++, chunk);
        stored.catch(() => undefined); // awaited before the next insert or the commit
      }
    };
    try {
      for await (const data of file.content) {
        const bytes = data as Buffer;
        size += bytes.length;
        if (start !== undefined) {
          start = Buffer.concat([start, bytes]);
          const header = headerOf(start);
          if (header !== undefined) {
            const errors = checkExtractionHeader(header);
            if (errors.length > 0) throw notTheExtraction(file.content, errors);
            start = undefined;
          }
        }
        await store(chunker.push(bytes));
      }
      if (file.isTruncated()) {
        throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the ${size} bytes accepted (BALISE_REFERENCE_UPLOAD_MAX_BYTES)`);
      }
      if (start !== undefined) {
        const errors: ErrorDetail[] = size === 0 ? [{ field: 'file', code: 'FILE_EMPTY', message: 'The file is empty' }] : checkExtractionHeader(start.toString('utf8'));
        if (errors.length > 0) throw notTheExtraction(file.content, errors);
      }
      await store(chunker.end());
      await stored;
    } catch (error) {
      await stored.catch(() => undefined);
      if (error instanceof NotUtf8TextError) {
        throw notTheExtraction(file.content, [{ field: 'file', code: 'FILE_NOT_UTF8', message: error.message }]);
      }
      throw error;
    }
    const row = await updateExtraction(tx, id, { fileSize: size });
    const jobId = await enqueueJob(tx, REFERENCE_LOAD_JOB, { extractionId: id }, { maxAttempts: 3 });
    const extraction = toReferenceExtraction(row!);
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'reference.extraction.uploaded', targetType: 'reference_extraction', targetId: id, cause: { jobId }, after: extraction,
    });
    return extraction;
  });
}

export async function getExtraction(deps: ServiceDependencies, context: RequestContext, id: string): Promise<ReferenceExtraction> {
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
