import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { idempotencyKeys } from '../db/schema';
import { AppError } from '../domain/errors/error-catalogue';
import { declareRouteProblems } from './errors/problem.schema';
import { declareRouteHeaders } from './openapi/response-headers';
import { defineJob } from './jobs/job-definition';
import { PeriodicJobPayloadSchema } from './jobs/scheduler';
import { REDACTED_FIELDS_HEADER, redactStoredAnswer, type IdempotencyRouteOptions } from './idempotency-redaction';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What this route's idempotency record must not keep (a secret shown once, say). */
    idempotency?: IdempotencyRouteOptions;
  }
  interface FastifyRequest {
    idempotency: { apiKeyId: string; key: string; replayed: boolean } | null;
  }
}

/** Response headers worth replaying; the rest (date, request id) belong to the new exchange. */
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

const HOUR_MS = 3_600_000;

/**
 * Deletes the records older than the retention, every hour: an answer is replayable for
 * `BALISE_IDEMPOTENCY_RETENTION_HOURS` at least, and a box's answer holds its holder's name and
 * identifiers, which are not to stay at rest once no client can still be retrying.
 */
const purgeJob = defineJob({
  name: 'idempotency.purge',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 2,
  handler: async (_context, deps: { db: Database; retentionHours: number }): Promise<{ deleted: number }> => {
    const deleted = await deps.db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${deps.retentionHours})`))
      .returning({ key: idempotencyKeys.key });
    return { deleted: deleted.length };
  },
});

/**
 * `Idempotency-Key` on POST: the first answer is stored and replayed to retries of the same
 * request; the same key with another request is a 422; a retry while the first still runs is a 409.
 * Keys are per API key, so two clients cannot collide.
 * A route may name top-level answer fields the record must not keep (`config.idempotency.redact`):
 * they are removed before the answer is stored, so a replay answers without them and says which in
 * `Idempotent-Redacted`. No secret is ever at rest in this table.
 */
export const idempotencyPlugin = fp(
  async (app) => {
    app.decorateRequest('idempotency', null);
    app.jobs.register(purgeJob, { db: app.db, retentionHours: app.config.idempotency.retentionHours });
    app.scheduler.schedule(purgeJob, { periodMs: HOUR_MS });

    // Every POST that needs a key honours Idempotency-Key: a reused or busy key is refused, and any
    // answer but a 5xx (which frees the key) may be a replay, a refusal of the handler included.
    app.addHook('onRoute', (route) => {
      const methods = typeof route.method === 'string' ? [route.method] : route.method;
      if (!methods.includes('POST') || route.config?.access === 'public') return;
      declareRouteProblems(route, 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED');
      declareRouteHeaders(route, (status) => status < 500, 'Idempotent-Replayed', 'Idempotent-Redacted');
    });

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || typeof key !== 'string' || key === '' || !request.caller) return;
      // A key's id or a person's: both UUIDs, so two callers never share a record.
      const apiKeyId = request.caller.id;
      // An upload is streamed to its handler, so its bytes cannot be hashed here: its size stands in for them.
      const body = request.isMultipart() ? { uploadBytes: request.headers['content-length'] ?? null } : request.body;
      const requestHash = hashRequest(request.method, request.url, body);
      const inserted = await app.db
        .insert(idempotencyKeys)
        .values({ apiKeyId, key, requestHash })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length > 0) {
        request.idempotency = { apiKeyId, key, replayed: false };
        return;
      }
      const [stored] = await app.db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, key)));
      if (!stored) throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'Retry in a moment');
      if (stored.requestHash !== requestHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was first used with another request', [
          { field: 'Idempotency-Key', code: 'IDEMPOTENCY_KEY_REUSED', message: 'Use a new key for a new request' },
        ]);
      }
      if (stored.statusCode === null)
        throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'The first request with this key is still running');
      request.idempotency = { apiKeyId, key, replayed: true };
      return reply
        .code(stored.statusCode)
        .headers({ ...stored.responseHeaders, 'idempotent-replayed': 'true' })
        .send(stored.responseBody);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const context = request.idempotency;
      if (!context || context.replayed) return payload;
      const where = and(
        eq(idempotencyKeys.apiKeyId, context.apiKeyId),
        eq(idempotencyKeys.key, context.key),
        isNull(idempotencyKeys.completedAt),
      );
      if (reply.statusCode >= 500) {
        // A crash is not an answer: free the key so the client can retry. When the database is
        // what failed (a 503), freeing may fail too: the answer must still go out as it is.
        const free = () =>
          app.db
            .delete(idempotencyKeys)
            .where(where)
            .then(
              () => true,
              () => false,
            );
        if (!(await free())) {
          request.log.warn('could not free the Idempotency-Key after a failed request; trying again in the background');
          freeInBackground(free);
        }
        return payload;
      }
      const headers: Record<string, string> = Object.fromEntries(
        REPLAYED_HEADERS.flatMap((name) => {
          const value = reply.getHeader(name);
          return value === undefined ? [] : [[name, String(value)]];
        }),
      );
      const stored = redactStoredAnswer(
        typeof payload === 'string' ? payload : null,
        request.routeOptions.config.idempotency,
      );
      if (stored.redactedFields.length > 0) headers[REDACTED_FIELDS_HEADER] = stored.redactedFields.join(', ');
      await app.db
        .update(idempotencyKeys)
        .set({
          statusCode: reply.statusCode,
          responseHeaders: headers,
          responseBody: stored.body,
          completedAt: new Date(),
        })
        .where(where);
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['authentication', 'jobs'] },
);

/**
 * A key left reserved by a request that failed would answer 409 to every retry, for ever. A
 * database restart takes seconds: keep trying for about a minute, then give up (logged by the
 * caller's first failure).
 */
const FREE_RETRY_MS = 2000;
const FREE_RETRIES = 30;
function freeInBackground(free: () => Promise<boolean>, retriesLeft = FREE_RETRIES): void {
  if (retriesLeft === 0) return;
  const timer = setTimeout(() => {
    void free().then((isFreed) => {
      if (!isFreed) freeInBackground(free, retriesLeft - 1);
    });
  }, FREE_RETRY_MS);
  timer.unref();
}

function hashRequest(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${stableStringify(body ?? null)}`)
    .digest('hex');
}

/** JSON with sorted keys, so that `{a,b}` and `{b,a}` count as the same body. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
