import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { isDatabaseUnavailable } from '../../db/errors';
import { AppError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail } from '../../domain/errors/error-catalogue';
import { declareRouteProblems, ProblemSchema } from './problem.schema';
import { RouteMethods } from './route-methods';

const PROBLEM_TYPE_BASE = 'https://balise.dev/problems/';
/**
 * When a 503 tells the client to come back: a PostgreSQL restart takes a few seconds, a
 * failover a few more; the pool opens new connections on the next request.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Fastify's own client errors, by status, mapped onto the catalogue. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
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

    // Registered first, this plugin sees every route: a known path asked with another method is a 405.
    const routeMethods = new RouteMethods();
    app.addHook('onRoute', (route) => routeMethods.add(route.url, route.method));
    app.addHook('onRoute', (route) => declareRouteProblems(route, ...answeredAroundEveryRoute(route)));

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      const allowed = routeMethods.allowedFor(path);
      if (allowed.length > 0) {
        reply.header('allow', allowed.join(', '));
        return sendProblem(
          request,
          reply,
          new AppError('METHOD_NOT_ALLOWED', `${path} answers ${allowed.join(', ')}, not ${request.method}`),
        );
      }
      return sendProblem(request, reply, new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${path}`));
    });

    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      const appError = toAppError(error);
      if (appError.code === 'SERVICE_UNAVAILABLE')
        request.log.warn({ err: error }, 'request failed: the database is unavailable');
      else if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: appError.code, status: appError.status }, 'request refused');
      return sendProblem(request, reply, appError);
    });
  },
  { name: 'errors' },
);

/** Methods whose request may carry a body, which Fastify parses (or refuses) before the route runs. */
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The codes any operation can meet, whatever its service does: a request the HTTP parser refuses
 * (400, 408, 431), input the schema or the input guards refuse (400, on every route: a NUL in any
 * query string, say), a crash (500), the database out of reach (503), and a body too large or of
 * a type no parser reads when the method may have one.
 */
function answeredAroundEveryRoute(route: RouteOptions): ErrorCode[] {
  const codes: ErrorCode[] = [
    'BAD_REQUEST',
    'VALIDATION_FAILED',
    'REQUEST_TIMEOUT',
    'HEADERS_TOO_LARGE',
    'INTERNAL',
    'SERVICE_UNAVAILABLE',
  ];
  const methods = typeof route.method === 'string' ? [route.method] : route.method;
  if (methods.some((method) => METHODS_WITH_BODY.has(method)))
    codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  return codes;
}

function problemOf(error: AppError, requestId: string, instance?: string) {
  return {
    ...error.extensions,
    type: PROBLEM_TYPE_BASE + error.code.toLowerCase().replaceAll('_', '-'),
    title: ERROR_CATALOGUE[error.code].title,
    status: error.status,
    detail: error.detail,
    ...(instance === undefined ? {} : { instance }),
    code: error.code,
    requestId,
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const problem = problemOf(error, request.id, request.url.split('?')[0]);
  if (error.status === 503 && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  // Serialised here rather than through a route's response schema, so that every error looks the same.
  return reply.code(error.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** What Node.js's HTTP parser reports before any route runs, by its error code. */
function clientFailure(code: string | undefined): AppError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AppError(
      'REQUEST_TIMEOUT',
      'The request did not arrive whole in time (BALISE_REQUEST_TIMEOUT_SECONDS); send it again',
    );
  }
  if (code === 'HPE_HEADER_OVERFLOW')
    return new AppError('HEADERS_TOO_LARGE', 'The request headers exceed the size the server accepts');
  return new AppError('BAD_REQUEST', 'The request is not valid HTTP');
}

/**
 * Fastify's `clientErrorHandler`: failures the HTTP parser meets before a request exists (bad
 * syntax, oversized headers, a request timing out) answered as problem+json like every other
 * error, on the raw socket, which is then closed.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const failure = clientFailure(error.code);
  const requestId = randomUUID();
  this.log.info({ code: failure.code, status: failure.status, requestId }, 'request refused by the HTTP parser');
  if (socket.writable) {
    const body = JSON.stringify(problemOf(failure, requestId));
    socket.write(
      `HTTP/1.1 ${failure.status} ${STATUS_CODES[failure.status] ?? ''}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** What Fastify refuses before routing (`frameworkErrors`), by its error code. */
function frameworkFailure(code: string): AppError {
  if (code === 'FST_ERR_BAD_URL') {
    return new AppError('BAD_REQUEST', 'The path is not valid percent-encoded UTF-8', [
      { field: 'path', code: 'PATH_ENCODING', message: 'A %-escape in the path does not decode to UTF-8 text' },
    ]);
  }
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    // 400 like any malformed id (ids are 36 characters), not 414: the URI as a whole is not too long.
    return new AppError('BAD_REQUEST', 'A path parameter is longer than the 100 characters any id may have', [
      { field: 'path', code: 'PARAM_TOO_LONG', message: 'A path segment is longer than 100 characters' },
    ]);
  }
  return new AppError('INTERNAL', 'An unexpected error occurred; quote the requestId to the operator');
}

/**
 * Fastify's `frameworkErrors`: what the router meets before a route, its hooks or the error
 * handler exist for the request (a path that does not decode, a parameter over `maxParamLength`),
 * answered as problem+json like everything else rather than Fastify's own JSON.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const failure = frameworkFailure(error.code);
  // The onRequest hook that echoes the id does not run for these requests.
  reply.header('x-request-id', request.id);
  if (failure.status >= 500) request.log.error({ err: error }, 'request failed before routing');
  else
    request.log.info(
      { code: failure.code, status: failure.status, cause: error.code },
      'request refused before routing',
    );
  void sendProblem(request, reply, failure);
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
  // Whatever the route, a database out of reach is a 503 to retry, not a crash of ours.
  if (isDatabaseUnavailable(error))
    return new AppError(
      'SERVICE_UNAVAILABLE',
      'The database is unavailable for a moment; retry after the delay in Retry-After',
    );
  const status = error.statusCode ?? 500;
  if (status >= 500)
    return new AppError('INTERNAL', 'An unexpected error occurred; quote the requestId to the operator');
  const code = CODE_BY_STATUS[status] ?? 'BAD_REQUEST';
  return new AppError(code, error.message);
}

export interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export function validationDetail(issue: ValidationIssue, context: string | undefined): ErrorDetail {
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
