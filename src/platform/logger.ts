import type { FastifyServerOptions, FastifyRequest } from 'fastify';
import type { Config } from '../config/config';

/**
 * Health data and secrets never reach the logs: names, identifiers, e-mail addresses and
 * credentials are censored wherever they appear, and URLs are logged without their query
 * string (a search `q=` may hold a name or an RPPS).
 */
const REDACTED_KEYS = [
  'authorization', 'key', 'secret', 'token', 'password', 'rpps', 'adeli', 'lastName', 'firstName',
  'email', 'newEmail', 'phone', 'address', 'responsible',
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
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: request.url.split('?')[0],
        requestId: request.id,
      }),
    },
  };
}
