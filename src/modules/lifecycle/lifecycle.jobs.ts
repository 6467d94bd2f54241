import type { FastifyInstance } from 'fastify';
import { defineJob } from '../../platform/jobs/job-definition';
import { PeriodicJobPayloadSchema } from '../../platform/jobs/scheduler';
import { dependenciesOf, type ServiceDependencies } from '../../platform/request-context';
import type { LifecyclePolicy } from './lifecycle-policy';
import { LIFECYCLE_SWEEP_JOB } from './lifecycle-sweep-context';
import { runLifecycleSweep } from './lifecycle-sweep.service';

export interface LifecycleJobDependencies {
  readonly deps: ServiceDependencies;
  readonly policy: LifecyclePolicy;
}

/** What a scheduled sweep answers (the job's `result`): the sweep's id and the counts of each step. */
export interface LifecycleSweepJobResult {
  sweepId: string;
  deactivated: number;
  warned: number;
  adminNotices: number;
  deleted: number;
  purged: number;
  importFilesDeleted: number;
  auditEventsDeleted: number;
}

/** The scheduled sweep: one job per period on the queue, whichever process enqueues or runs it. */
export const lifecycleSweepJob = defineJob({
  name: LIFECYCLE_SWEEP_JOB,
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 3,
  handler: async (job, { deps, policy }: LifecycleJobDependencies): Promise<LifecycleSweepJobResult> => {
    const report = await runLifecycleSweep(deps, policy, { trigger: 'schedule', onBatch: () => job.extendLease() });
    const counts = {
      deactivated: report.deactivated.count,
      warned: report.warned.count,
      adminNotices: report.warned.adminNotices,
      deleted: report.deleted.count,
      purged: report.purged.count,
      importFilesDeleted: report.importFilesDeleted.count,
      auditEventsDeleted: report.auditEventsDeleted.count,
    };
    job.log.info({ sweepId: report.sweepId, ...counts }, 'lifecycle sweep done');
    return { sweepId: report.sweepId, ...counts };
  },
});

export async function registerLifecycleJobs(app: FastifyInstance): Promise<void> {
  const policy = app.config.lifecycle;
  app.jobs.register(lifecycleSweepJob, { deps: dependenciesOf(app), policy });
  if (policy.scheduleEnabled)
    app.scheduler.schedule(lifecycleSweepJob, { periodMs: policy.sweepIntervalMinutes * 60_000 });
}
