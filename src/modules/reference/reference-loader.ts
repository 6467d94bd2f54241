import type { Database } from '../../db/database';
import { recordAudit, systemActor } from '../../platform/audit/audit';
import type { JobContext } from '../../platform/jobs/job-runner';
import type { Clock } from '../../shared/clock';
import { checkExtractionHeader, parseExtractionLine, readLines } from './extraction-format';
import {
  deleteChunks,
  deleteProfessionalsOf,
  findExtraction,
  insertProfessionals,
  readChunks,
  supersedeOtherExtractions,
  updateExtraction,
  type ReferenceProfessional,
} from './reference.repository';
import { toReferenceExtraction } from './reference.service';

/** Rows per insert statement (five array parameters each, whatever the count). */
export const INSERT_BATCH_ROWS = 10_000;
/**
 * Inserts running while the next batch is parsed, each on its own pooled connection: the server
 * inserts while Node.js parses. More than one in flight measured slower (bench/RESULTS.md).
 */
const INSERTS_IN_FLIGHT = 1;
/** Progress is written (and the job's lease extended) at most this often. */
const PROGRESS_EVERY_MS = 1000;

export interface LoadCounts {
  linesRead: number;
  rows: number;
  malformedLines: number;
}

/** Chunks read per query. */
const CHUNKS_PER_READ = 4;

/** The stored upload, chunk after chunk; the next chunks are read while these are parsed. */
async function* storedChunks(db: Database, extractionId: string): AsyncGenerator<string> {
  const read = (from: number) => {
    const chunks = readChunks(db, extractionId, from, CHUNKS_PER_READ);
    chunks.catch(() => undefined); // awaited below, unless the reader stops first
    return chunks;
  };
  let next = read(0);
  for (let from = CHUNKS_PER_READ; ; from += CHUNKS_PER_READ) {
    const chunks = await next;
    if (chunks.length === 0) return;
    if (chunks.length === CHUNKS_PER_READ) next = read(from);
    yield* chunks;
    if (chunks.length < CHUNKS_PER_READ) return;
  }
}

/**
 * Streams the stored file line by line into reference_professionals under the extraction's id,
 * INSERT_BATCH_ROWS at a time, up to INSERTS_IN_FLIGHT inserts running while the next batch is
 * parsed. The rows stay invisible to the report until the switch.
 */
async function loadProfessionals(db: Database, extractionId: string, onProgress: (counts: LoadCounts) => Promise<void>): Promise<LoadCounts> {
  const counts: LoadCounts = { linesRead: 0, rows: 0, malformedLines: 0 };
  let batch: ReferenceProfessional[] = [];
  const inFlight: Promise<void>[] = [];
  let lastProgress = performance.now();
  let isHeader = true;
  const flush = async () => {
    if (inFlight.length >= INSERTS_IN_FLIGHT) await inFlight.shift();
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    const insert = insertProfessionals(db, extractionId, rows).then(() => {
      counts.rows += rows.length;
    });
    insert.catch(() => undefined); // awaited when it leaves the window, or at the end
    inFlight.push(insert);
    if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = performance.now();
      await onProgress(counts);
    }
  };
  try {
    for await (const line of readLines(storedChunks(db, extractionId))) {
      if (isHeader) {
        isHeader = false;
        const errors = checkExtractionHeader(line);
        if (errors.length > 0) throw new Error(`Not the ANS extraction: ${errors[0]!.message}`);
        continue;
      }
      if (line.length === 0 || line.trim() === '') continue;
      counts.linesRead += 1;
      const parsed = parseExtractionLine(line);
      if (parsed === 'malformed') counts.malformedLines += 1;
      else if (parsed !== 'skip') batch.push(parsed);
      if (batch.length >= INSERT_BATCH_ROWS) await flush();
    }
    await flush();
    await Promise.all(inFlight);
  } catch (error) {
    // No insert may land after the caller cleaned up.
    await Promise.allSettled(inFlight);
    throw error;
  }
  return counts;
}

/**
 * The `reference.load` job. Resumable by starting over: a retry first deletes what an earlier
 * attempt inserted under this extraction. On success the switch is one transaction: this
 * extraction becomes the reference in force, the previous one superseded (with the audit event);
 * the previous rows and the stored upload are deleted after it.
 */
export function createReferenceLoadHandler(db: Database, clock: Clock) {
  return async (context: JobContext): Promise<unknown> => {
    const { job, log } = context;
    const extractionId = String(job.payload.extractionId);
    const extraction = await findExtraction(db, extractionId);
    if (!extraction || !['queued', 'running'].includes(extraction.status)) return { skipped: extraction?.status ?? 'missing' };
    await updateExtraction(db, extractionId, { status: 'running', startedAt: clock.now(), rows: 0, linesRead: 0, malformedLines: 0, error: null });
    await deleteProfessionalsOf(db, [extractionId]);
    try {
      const counts = await loadProfessionals(db, extractionId, async (progress) => {
        await updateExtraction(db, extractionId, { ...progress });
        await context.extendLease();
      });
      const superseded = await db.transaction(async (tx) => {
        const loaded = await updateExtraction(tx, extractionId, { ...counts, status: 'succeeded', loadedAt: clock.now(), error: null });
        const previous = await supersedeOtherExtractions(tx, extractionId);
        await recordAudit(tx, clock, systemActor('reference-loader'), {
          action: 'reference.extraction.loaded', targetType: 'reference_extraction', targetId: extractionId,
          cause: { jobId: job.id, superseded: previous }, after: toReferenceExtraction(loaded!),
        });
        return previous;
      });
      await deleteProfessionalsOf(db, superseded);
      await deleteChunks(db, extractionId);
      log.info({ extractionId, ...counts }, 'reference extraction loaded');
      return counts;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.attempts >= job.maxAttempts;
      await updateExtraction(db, extractionId, { status: final ? 'failed' : 'queued', error: message.slice(0, 2000) });
      if (final) {
        await deleteProfessionalsOf(db, [extractionId]);
        await deleteChunks(db, extractionId);
      }
      throw error;
    }
  };
}
