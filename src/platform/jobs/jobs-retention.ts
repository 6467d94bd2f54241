import type { FastifyInstance } from 'fastify';
import { and, inArray, lt } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import type { Clock } from '../../shared/clock';
import { jobs } from '../../db/schema';
import { deleteInBatches } from './delete-in-batches';
import { defineJob } from './job-definition';
import { PeriodicJobPayloadSchema } from './scheduler';

const DAY_MS = 86_400_000;
/** Small enough that one statement never holds the table for long, whatever the backlog. */
const PURGE_BATCH = 5_000;

/**
 * Deletes up to `batchSize` jobs that finished before `cutoff`. Only finished ones: a queued or
 * running job is work still owed. Their singleton keys are of past periods (a scheduler enqueues
 * only the current one), so freeing them cannot enqueue an old run again.
 */
export async function deleteJobsFinishedBefore(executor: Executor, cutoff: Date, batchSize: number): Promise<number> {
  const deleted = await executor
    .delete(jobs)
    .where(
      inArray(
        jobs.id,
        executor
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(inArray(jobs.status, ['succeeded', 'failed']), lt(jobs.finishedAt, cutoff)))
          .limit(batchSize),
      ),
    )
    .returning({ id: jobs.id });
  return deleted.length;
}

/**
 * The queue's own housekeeping: once a day, finished jobs older than `BALISE_JOBS_RETENTION_DAYS`
 * go, in bounded batches. Without it the table only grows (webhook dispatch alone adds a row a
 * second while an endpoint is enabled).
 */
export const jobsPurgeJob = defineJob({
  name: 'jobs.purge',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 2,
  handler: async (context, deps: { db: Executor; clock: Clock; retentionDays: number }) => {
    const cutoff = new Date(deps.clock.now().getTime() - deps.retentionDays * DAY_MS);
    const deleted = await deleteInBatches(context, PURGE_BATCH, (limit) =>
      deleteJobsFinishedBefore(deps.db, cutoff, limit),
    );
    return { deleted };
  },
});

export async function registerJobsRetention(app: FastifyInstance): Promise<void> {
  app.jobs.register(jobsPurgeJob, {
    db: app.db,
    clock: app.clock,
    retentionDays: app.config.jobs.retentionDays,
  });
  app.scheduler.schedule(jobsPurgeJob, { periodMs: DAY_MS });
}
