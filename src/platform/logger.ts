import type { FastifyServerOptions, FastifyRequest } from 'fastify';
import type { Config } from '../config/config';

/**
 * Health data and secrets never reach the logs: names, identifiers, e-mail addresses and
 * credentials are censored wherever they appear, and URLs are logged without their query
 * string (a search `q=` may hold a name or an RPPS).
 */
const REDACTED_KEYS = [
  'authorization',
  'key',
  'secret',
  'token',
  'password',
  'rpps',
  'adeli',
  // A person's idNat (`8` + RPPS), and the actor id that may be one (audit, events).
  'nationalId',
  'actorId',
  'clientSecret',
  'lastName',
  'firstName',
  'email',
  'newEmail',
  'phone',
  'address',
  'responsible',
];

export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["idempotency-key"]',
        ...REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: serializeErrorSafely,
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: request.url.split('?')[0],
        requestId: request.id,
      }),
    },
  };
}

interface DatabaseErrorLike {
  name?: string;
  message?: string;
  stack?: string;
  code?: unknown;
  constraint?: unknown;
  routine?: unknown;
  cause?: unknown;
}

/**
 * Errors are logged without their data: a failed query's message quotes the SQL and its
 * parameters, and PostgreSQL's `detail` quotes the offending values (e-mails, names, RPPS).
 * What identifies the failure stays: type, SQLSTATE code, constraint, routine, stack frames.
 */
interface SafeError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

export function serializeErrorSafely(error: unknown): SafeError {
  if (!error || typeof error !== 'object') return { type: typeof error, message: String(error), stack: '' };
  const candidate = error as DatabaseErrorLike;
  const message = withheldData(candidate.message ?? '');
  const frames = (candidate.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: candidate.name ?? 'Error',
    message,
    ...(typeof candidate.code === 'string' ? { code: candidate.code } : {}),
    ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}),
    ...(typeof candidate.routine === 'string' ? { routine: candidate.routine } : {}),
    stack: [`${candidate.name ?? 'Error'}: ${message}`, ...frames].join('\n'),
    ...(candidate.cause ? { cause: serializeErrorSafely(candidate.cause) } : {}),
  };
}

function withheldData(message: string): string {
  if (message.startsWith('Failed query:')) return 'Failed query (SQL text and parameters withheld from the log)';
  // PostgreSQL puts values only in `detail`; its messages name constraints and columns, not data.
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
