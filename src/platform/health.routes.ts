import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../db/database';
import { AppError } from '../domain/errors/error-catalogue';
import { ProblemSchema } from './errors/problem.schema';

const HealthSchema = Type.Object({ status: Type.Literal('ok') });
/** What every route may answer before its handler runs: the input guards refuse a query with a NUL, say. */
const MalformedRequest = { ...Type.Ref(ProblemSchema), description: 'Malformed request (refused before the check)' };

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
        response: { 200: HealthSchema, 400: MalformedRequest },
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
        response: {
          200: HealthSchema,
          400: MalformedRequest,
          503: { ...Type.Ref(ProblemSchema), description: 'The database does not answer' },
        },
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
