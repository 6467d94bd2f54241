import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { defineJob } from '../../platform/jobs/job-definition';
import { dependenciesOf, type ServiceDependencies } from '../../platform/request-context';
import { loadReferenceExtraction } from './reference-loader';

export const ReferenceLoadPayloadSchema = Type.Object({ extractionId: Type.String() });
export type ReferenceLoadPayload = Static<typeof ReferenceLoadPayloadSchema>;

/** Puts an uploaded extraction in force (`reference-loader.ts`): enqueued by the upload, in its transaction. */
export const referenceLoadJob = defineJob({
  name: 'reference.load',
  payload: ReferenceLoadPayloadSchema,
  maxAttempts: 3,
  handler: (context, deps: ServiceDependencies) => loadReferenceExtraction(context, deps),
});

export async function registerReferenceJobs(app: FastifyInstance): Promise<void> {
  app.jobs.register(referenceLoadJob, dependenciesOf(app));
}
