import type { FastifyInstance } from 'fastify';
import { deleteInBatches } from '../../platform/jobs/delete-in-batches';
import { defineJob } from '../../platform/jobs/job-definition';
import { PeriodicJobPayloadSchema } from '../../platform/jobs/scheduler';
import type { Database } from '../../db/database';
import type { Clock } from '../../shared/clock';
import { deleteEventsBefore } from './events.repository';

const DAY_MS = 86_400_000;
/** Small enough that one statement never holds the table for long, whatever the backlog. */
const PURGE_BATCH = 5_000;

/** Deletes, once a day and in bounded batches, the events older than `BALISE_EVENTS_RETENTION_DAYS`. */
export const eventsPurgeJob = defineJob({
  name: 'events.purge',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 2,
  handler: async (
    context,
    deps: { db: Database; clock: Clock; retentionDays: number },
  ): Promise<{ deleted: number }> => {
    const cutoff = new Date(deps.clock.now().getTime() - deps.retentionDays * DAY_MS);
    const deleted = await deleteInBatches(context, PURGE_BATCH, (limit) => deleteEventsBefore(deps.db, cutoff, limit));
    return { deleted };
  },
});

export async function registerEventsJobs(app: FastifyInstance): Promise<void> {
  app.jobs.register(eventsPurgeJob, { db: app.db, clock: app.clock, retentionDays: app.config.events.retentionDays });
  app.scheduler.schedule(eventsPurgeJob, { periodMs: DAY_MS });
}
