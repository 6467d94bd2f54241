import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../db/database';
import { AppError } from '../domain/errors/error-catalogue';

const HealthSchema = Type.Object({ status: Type.Literal('ok') });

/** Liveness says the process answers; readiness says it can reach its database. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getLiveness',
        summary: 'The process answers',
        tags: ['Health'],
        security: [],
        // The errors plugin declares what any route may answer (400, 5xx).
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getReadiness',
        summary: 'The database answers',
        tags: ['Health'],
        security: [],
        // The 503 (the database does not answer) is declared for every route by the errors plugin.
        response: { 200: HealthSchema },
      },
    },
    async () => {
      try {
        await pingDatabase(app.db);
      } catch (error) {
        app.log.warn({ err: error }, 'readiness check failed');
        throw new AppError('SERVICE_UNAVAILABLE', 'The database does not answer');
      }
      return { status: 'ok' as const };
    },
  );
};
