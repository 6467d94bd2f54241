import fp from 'fastify-plugin';
import type { Config } from '../../config/config';
import { JobRunner, type JobRunnerOptions } from './job-runner';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobRunner;
  }
}

export interface JobsPluginOptions {
  config: Config['jobs'];
  runner?: JobRunnerOptions;
}

/**
 * The job queue on PostgreSQL. Modules register their handlers at start-up; the runner polls
 * only when enabled (tests keep it off and call `app.jobs.drain()` to run what is due).
 */
export const jobsPlugin = fp<JobsPluginOptions>(
  async (app, options) => {
    const runner = new JobRunner(app.db, app.log.child({ component: 'jobs' }), options.runner);
    app.decorate('jobs', runner);
    if (options.config.enabled) {
      app.addHook('onReady', async () => runner.start(options.config.pollIntervalMs, options.config.concurrency));
    }
    // preClose: jobs finish before the database plugin's onClose hook closes the connection.
    app.addHook('preClose', async () => runner.stop());
  },
  { name: 'jobs', dependencies: ['database'] },
);
