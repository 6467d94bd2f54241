import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/**
 * CORS for browser front-ends (@fastify/cors): only the configured origins, credentials by the
 * `Authorization` header (no cookies), and the response headers a front-end must read exposed.
 * Registered before authentication, so a preflight (OPTIONS, no credential) is answered here.
 */
export const corsPlugin = fp<{ origins: readonly string[] }>(
  async (app, { origins }) => {
    if (origins.length === 0) return;
    await app.register(cors, {
      origin: [...origins],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: [
        'ETag',
        'Location',
        'X-Request-Id',
        'Idempotent-Replayed',
        'Idempotent-Redacted',
        'Retry-After',
        'WWW-Authenticate',
      ],
      maxAge: 600,
    });
  },
  { name: 'cors', dependencies: ['errors'] },
);
