import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database';
import { defineJob } from '../../platform/jobs/job-definition';
import { PeriodicJobPayloadSchema } from '../../platform/jobs/scheduler';
import { refreshSearchTermShares } from './search-statistics';

/**
 * Autovacuum analyses `mailboxes` after about a tenth of it has changed; a copy every quarter
 * of an hour follows it closely enough for a choice of path (a stale copy costs time, not results).
 */
const SEARCH_STATISTICS_PERIOD_MS = 15 * 60_000;

/** Copies the search terms' table statistics where a search reads them cheaply (`search_term_shares`). */
export const searchStatisticsJob = defineJob({
  name: 'mailboxes.refresh-search-statistics',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 2,
  handler: async (_context, { db }: { db: Database }): Promise<{ terms: number }> => ({
    terms: await refreshSearchTermShares(db),
  }),
});

export async function registerMailboxesJobs(app: FastifyInstance): Promise<void> {
  app.jobs.register(searchStatisticsJob, { db: app.db });
  app.scheduler.schedule(searchStatisticsJob, { periodMs: SEARCH_STATISTICS_PERIOD_MS });
}
