import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail } from './error-catalogue';
import { ProblemSchema } from './problem.schema';

const PROBLEM_TYPE_BASE = 'https://balise.dev/problems/';

/** Fastify's own client errors, by status, mapped onto the catalogue. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'UNSUPPORTED_MEDIA_TYPE',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'BUSINESS_RULE_VIOLATED',
  429: 'RATE_LIMITED',
};

/**
 * Renders every failure as RFC 9457 problem+json: our AppErrors, Fastify's schema validation
 * (as field-level `errors`), unknown routes, and unexpected crashes (logged, never described).
 */
export const errorsPlugin = fp(
  async (app) => {
    app.addSchema(ProblemSchema);

    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)),
    );

    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      const appError = toAppError(error);
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
      return sendProblem(request, reply, appError);
    });
  },
  { name: 'errors' },
);

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const { title } = ERROR_CATALOGUE[error.code];
  const problem = {
    ...error.extensions,
    type: PROBLEM_TYPE_BASE + error.code.toLowerCase().replaceAll('_', '-'),
    title,
    status: error.status,
    detail: error.detail,
    instance: request.url.split('?')[0],
    code: error.code,
    requestId: request.id,
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
  // Serialised here rather than through a route's response schema, so that every error looks the same.
  return reply.code(error.status).type('application/problem+json').send(JSON.stringify(problem));
}

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    return new AppError(
      'VALIDATION_FAILED',
      `The ${error.validationContext ?? 'request'} does not match the schema`,
      error.validation.map((issue) => validationDetail(issue, error.validationContext)),
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) return new AppError('INTERNAL', 'An unexpected error occurred; quote the requestId to the operator');
  const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
  return new AppError(code, error.message);
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function validationDetail(issue: ValidationIssue, context: string | undefined): ErrorDetail {
  const segments = issue.instancePath.split('/').filter(Boolean);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
    segments.push(issue.params.missingProperty);
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
    segments.push(issue.params.additionalProperty);
  }
  const field = segments.join('.') || context || 'body';
  return {
    field,
    code: `SCHEMA_${issue.keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
    message: issue.message ?? 'is invalid',
  };
}
