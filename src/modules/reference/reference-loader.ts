import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database';
import { isLockNotAvailable } from '../../db/errors';
import { recordAudit, systemActor } from '../../platform/audit/audit';
import type { JobContext } from '../../platform/jobs/job-definition';
import type { ServiceDependencies } from '../../platform/request-context';
import {
  attachProfessionals,
  dropProfessionals,
  findOutdatedProfessionals,
  setLocalLockTimeout,
} from './professionals.repository';
import type { ReferenceLoadPayload } from './reference.jobs';
import {
  lockExtraction,
  PENDING_STATUSES,
  supersedeOtherExtractions,
  updatePendingExtraction,
} from './reference.repository';
import { toReferenceExtraction } from './reference.service';

/** How long dropping an outdated table may wait for the readers of reference_professionals. */
const DROP_LOCK_TIMEOUT = '1s';

/** drizzle wraps the database's error in its own ("Failed query: …"): the cause says what went wrong. */
function reasonOf(error: unknown): string {
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return reason instanceof Error ? reason.message : String(reason);
}

const isPending = (status: string) => (PENDING_STATUSES as readonly string[]).includes(status);

/**
 * Drops the tables nobody reads any more: failed loads', and superseded references'. It runs before
 * the switch, so the reference this load supersedes keeps its rows until the next load: a report
 * or a directory refresh that read which reference was in force just before the switch still finds
 * them. Dropping a partition waits for the readers of reference_professionals and holds up new ones
 * meanwhile, so it waits a moment at most; what it could not drop is dropped by a later load.
 */
async function dropOutdatedProfessionals(db: Database, log: FastifyBaseLogger): Promise<void> {
  for (const extractionId of await findOutdatedProfessionals(db)) {
    try {
      await db.transaction(async (tx) => {
        await setLocalLockTimeout(tx, DROP_LOCK_TIMEOUT);
        await dropProfessionals(tx, extractionId);
      });
    } catch (error) {
      if (!isLockNotAvailable(error)) throw error;
      log.warn(
        { extractionId },
        'reference rows of an outdated extraction left for a later load: their readers held on',
      );
    }
  }
}

/** What a load answers (the job's `result`): the counts of the extraction put in force, or why nothing was done. */
export type ReferenceLoadResult =
  | { skipped: 'not pending' | 'loaded by another attempt' }
  | { linesRead: number; rows: number; malformedLines: number };

/**
 * The `reference.load` job: the upload staged the professionals in the extraction's table; the
 * load indexes that table, attaches it to reference_professionals and puts the extraction in force
 * (the previous one superseded, with the audit event), all in one transaction. Resumable by
 * starting over: an attempt that fails or dies leaves nothing of itself, and attempts of the same
 * extraction take turns on its row. After the last failed attempt, the staged rows are dropped.
 */
export async function loadReferenceExtraction(
  context: JobContext<ReferenceLoadPayload>,
  { db, clock }: ServiceDependencies,
): Promise<ReferenceLoadResult> {
  const { job, log } = context;
  const { extractionId } = job.payload;
  const started = await updatePendingExtraction(db, extractionId, {
    status: 'running',
    startedAt: clock.now(),
    error: null,
  });
  if (!started) return { skipped: 'not pending' };
  try {
    await dropOutdatedProfessionals(db, log);
    const loaded = await db.transaction(async (tx) => {
      const extraction = await lockExtraction(tx, extractionId);
      if (!extraction || !isPending(extraction.status)) return undefined;
      await attachProfessionals(tx, extractionId);
      const row = await updatePendingExtraction(tx, extractionId, {
        status: 'succeeded',
        loadedAt: clock.now(),
        error: null,
      });
      const superseded = await supersedeOtherExtractions(tx, extractionId);
      await recordAudit(tx, clock, systemActor('reference-loader'), {
        action: 'reference.extraction.loaded',
        targetType: 'reference_extraction',
        targetId: extractionId,
        cause: { jobId: job.id, superseded },
        after: toReferenceExtraction(row!),
      });
      return row!;
    });
    if (!loaded) return { skipped: 'loaded by another attempt' };
    const counts = { linesRead: loaded.linesRead, rows: loaded.rows, malformedLines: loaded.malformedLines };
    log.info({ extractionId, ...counts }, 'reference extraction loaded');
    return counts;
  } catch (error) {
    const message = reasonOf(error);
    const final = job.attempts >= job.maxAttempts;
    const ended = await updatePendingExtraction(db, extractionId, {
      status: final ? 'failed' : 'queued',
      error: message.slice(0, 2000),
    });
    if (final && ended) await dropProfessionals(db, extractionId);
    throw error;
  }
}
