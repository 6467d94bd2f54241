import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { defineJob } from '../../platform/jobs/job-definition';
import { dependenciesOf, type ServiceDependencies } from '../../platform/request-context';
import { failAbandonedImport, processImportJob } from './processing/import-job';
import type { ImportJobOptions } from './processing/import-run';

/** A crashed import is retried this many times (each run resumes), then reported as failed. */
export const IMPORT_JOB_MAX_ATTEMPTS = 5;

export const ImportJobPayloadSchema = Type.Object({ importId: Type.String() });
export type ImportJobPayload = Static<typeof ImportJobPayloadSchema>;

export interface ImportJobDependencies {
  readonly deps: ServiceDependencies;
  readonly options: ImportJobOptions;
}

/** Processes one upload (`processing/import-job.ts`): enqueued with the import, in its transaction. */
export const importJob = defineJob({
  name: 'import.process',
  payload: ImportJobPayloadSchema,
  maxAttempts: IMPORT_JOB_MAX_ATTEMPTS,
  handler: (context, { deps, options }: ImportJobDependencies) => processImportJob(deps, context, options),
  onAbandoned: (context, { deps }) => failAbandonedImport(deps, context),
});

export async function registerImportsJobs(app: FastifyInstance): Promise<void> {
  app.jobs.register(importJob, { deps: dependenciesOf(app), options: app.config.imports });
}
