import type { FastifyInstance } from 'fastify';
import { defineJob } from '../../platform/jobs/job-definition';
import { PeriodicJobPayloadSchema } from '../../platform/jobs/scheduler';
import { dependenciesOf, type ServiceDependencies } from '../../platform/request-context';
import { refreshDirectory, type RefreshOutcome } from './directory-refresh';

/** Refreshes the directory feed whatever its age; scheduled every BALISE_DIRECTORY_REFRESH_MINUTES. */
export const directoryRefreshJob = defineJob({
  name: 'directory.refresh',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 2,
  handler: async ({ log }, { db, clock }: ServiceDependencies): Promise<RefreshOutcome> => {
    const outcome = await refreshDirectory(db, clock, { maxAgeSeconds: 0 });
    log.info({ ...outcome }, 'directory feed refreshed');
    return outcome;
  },
});

export async function registerDirectoryJobs(app: FastifyInstance): Promise<void> {
  app.jobs.register(directoryRefreshJob, dependenciesOf(app));
  const { refreshMinutes } = app.config.directory;
  if (refreshMinutes > 0) app.scheduler.schedule(directoryRefreshJob, { periodMs: refreshMinutes * 60_000 });
}
