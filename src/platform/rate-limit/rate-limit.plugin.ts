import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Database } from '../../db/database';
import { AppError } from '../../domain/errors/error-catalogue';
import { declareRouteProblems } from '../errors/problem.schema';
import { declareRouteHeaders } from '../openapi/response-headers';
import { defineJob } from '../jobs/job-definition';
import { PeriodicJobPayloadSchema } from '../jobs/scheduler';
import { deleteStaleWindows, postgresRateLimitStore } from './rate-limit-store';

const HOUR_MS = 3_600_000;

/** Deletes the counting windows that ended, every hour. */
const purgeJob = defineJob({
  name: 'rate-limit.purge',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 2,
  handler: async (_context, db: Database): Promise<{ deleted: number }> => ({ deleted: await deleteStaleWindows(db) }),
});

/**
 * Rate limiting for the routes that ask for it in their `config.rateLimit` (the public ones: no
 * API key stands behind them). Counts live in PostgreSQL, so the limit holds across processes;
 * an exceeded limit is a 429 problem with `Retry-After`.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    app.addHook('onRoute', (route) => {
      if (!route.config?.rateLimit) return;
      declareRouteProblems(route, 'RATE_LIMITED');
      declareRouteHeaders(route, () => true, 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset');
    });
    await app.register(rateLimit, {
      global: false,
      store: postgresRateLimitStore(app.db),
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) =>
        new AppError(
          'RATE_LIMITED',
          `Too many requests from your address: at most ${context.max} per ${context.after}; try again later`,
        ),
    });
    app.jobs.register(purgeJob, app.db);
    app.scheduler.schedule(purgeJob, { periodMs: HOUR_MS });
  },
  { name: 'rate-limit', dependencies: ['database', 'jobs'] },
);
