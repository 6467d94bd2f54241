import fp from 'fastify-plugin';
import type { Config } from '../../config/config';
import { JobRunner, type JobRunnerOptions } from './job-runner';
import { Scheduler } from './scheduler';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner;
    /** Periodic jobs (sweeps): modules call `app.scheduler.schedule(definition, { periodMs })` from `<module>.jobs.ts`. */
    scheduler: Scheduler;
  }
}

export interface JobsPluginOptions {
  config: Config['jobs'];
  runner?: JobRunnerOptions;
}

/** How often a process checks whether a new period began (the check is in memory; the database hears once per period). */
const SCHEDULER_TICK_MS = 30_000;

/**
 * The job queue on PostgreSQL. Modules register their job definitions at start-up (each in its
 * `<module>.jobs.ts`); the runner polls only when enabled (tests keep it off and call
 * `app.jobs.drain()` to run what is due). The scheduler enqueues periodic jobs alongside it
 * (tests call `app.scheduler.tick()`).
 */
export const jobsPlugin = fp<JobsPluginOptions>(
  async (app, options) => {
    const runner = new JobRunner(app.db, app.log.child({ component: 'jobs' }), {
      leaseSeconds: options.config.leaseSeconds,
      heartbeatSeconds: options.config.heartbeatSeconds,
      ...options.runner,
    });
    const scheduler = new Scheduler(app.db, app.clock, app.log.child({ component: 'scheduler' }));
    app.decorate('jobs', runner);
    app.decorate('scheduler', scheduler);
    if (options.config.enabled) {
      app.addHook('onReady', async () => {
        runner.start(options.config.pollIntervalMs, options.config.concurrency);
        scheduler.start(Math.max(options.config.pollIntervalMs, SCHEDULER_TICK_MS));
      });
    }
    // preClose: jobs finish before the database plugin's onClose hook closes the connection.
    app.addHook('preClose', async () => {
      await scheduler.stop();
      await runner.stop();
    });
  },
  { name: 'jobs', dependencies: ['database'] },
);
