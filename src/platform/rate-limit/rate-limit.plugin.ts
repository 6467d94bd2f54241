import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { AppError } from '../../domain/errors/error-catalogue';
import { deleteStaleWindows, postgresRateLimitStore } from './rate-limit-store';

const PURGE_JOB = 'rate-limit.purge';
const HOUR_MS = 3_600_000;

/**
 * Rate limiting for the routes that ask for it in their `config.rateLimit` (the public ones: no
 * API key stands behind them). Counts live in PostgreSQL, so the limit holds across processes;
 * an exceeded limit is a 429 problem with `Retry-After`.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    await app.register(rateLimit, {
      global: false,
      store: postgresRateLimitStore(app.db),
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, context) =>
        new AppError('RATE_LIMITED', `Too many requests from your address: at most ${context.max} per ${context.after}; try again later`),
    });
    app.jobs.register(PURGE_JOB, async () => ({ deleted: await deleteStaleWindows(app.db) }));
    app.scheduler.schedule(PURGE_JOB, { periodMs: HOUR_MS, maxAttempts: 2 });
  },
  { name: 'rate-limit', dependencies: ['database', 'jobs'] },
);
