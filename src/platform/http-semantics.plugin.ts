import fp from 'fastify-plugin';
import { Type } from '@sinclair/typebox';
import { AppError } from '../domain/errors/error-catalogue';
import { ifNoneMatchMatches } from '../shared/etag';
import { declareRouteProblems } from './errors/problem.schema';
import { withHeaders } from './openapi/response-headers';

/** A 200 that declares an `ETag` (`withHeaders`): its GET answers `If-None-Match` with a 304. */
const sendsEtag = (schema: unknown) =>
  typeof schema === 'object' && schema !== null && 'ETag' in ((schema as { headers?: object }).headers ?? {});

const NOT_MODIFIED = withHeaders(
  Type.Null({ description: 'Not modified: `If-None-Match` names the current ETag; no body' }),
  'ETag',
);

/** The writes whose route honours `If-Match`: the PATCH and DELETE routes that document a 412. */
const CONDITIONAL_WRITES = new Set(['PATCH', 'DELETE']);

/**
 * A 200 declared in several media types (`content` with more than one key) is negotiated
 * (`platform/content-negotiation.ts`), so its route may answer 406.
 */
function offersSeveralRepresentations(success: unknown): boolean {
  const content = (success as { content?: unknown } | undefined)?.content;
  return typeof content === 'object' && content !== null && Object.keys(content).length > 1;
}

/**
 * Conditional requests, for every route at once:
 * - a GET (or HEAD) answered 200 with an `ETag` that the client's `If-None-Match` names is
 *   answered 304 instead, with the ETag and no body (RFC 9110 §13.1.2: weak comparison, `*`, lists);
 * - with `BALISE_REQUIRE_IF_MATCH`, a PATCH or DELETE of a versioned resource (its route documents
 *   412) without `If-Match` is refused with 428 before it runs, so no client overwrites blindly.
 * The 428 is documented on those routes whatever the setting, since the contract is one file.
 * A route that offers several representations of its 200 documents the 406 of their negotiation.
 */
export const httpSemanticsPlugin = fp(
  async (app) => {
    const versionedWrites = new Set<string>();
    app.addHook('onRoute', (route) => {
      const methods = typeof route.method === 'string' ? [route.method] : route.method;
      const response = route.schema?.response as Record<string, unknown> | undefined;
      if (methods.includes('GET') && sendsEtag(response?.[200]))
        route.schema = { ...route.schema, response: { ...response, 304: NOT_MODIFIED } };
      if (response && offersSeveralRepresentations(response[200])) declareRouteProblems(route, 'NOT_ACCEPTABLE');
      if (!response || !('412' in response)) return;
      for (const method of methods) {
        if (!CONDITIONAL_WRITES.has(method)) continue;
        versionedWrites.add(`${method} ${route.url}`);
        declareRouteProblems(route, 'PRECONDITION_REQUIRED');
      }
    });

    if (app.config.http.requireIfMatch) {
      // After the scoping hook (registered earlier): an invisible resource stays a 404.
      app.addHook('preHandler', async (request) => {
        if (!versionedWrites.has(`${request.method} ${request.routeOptions.url}`)) return;
        const ifMatch = request.headers['if-match'];
        if (ifMatch === undefined || ifMatch.trim() === '') {
          throw new AppError(
            'PRECONDITION_REQUIRED',
            'Send If-Match with the ETag of the version you read (GET it first), or `*` to write whatever the version',
          );
        }
      });
    }

    app.addHook('onSend', async (request, reply, payload) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
      if (reply.statusCode !== 200) return payload;
      const etag = reply.getHeader('etag');
      if (typeof etag !== 'string' || !ifNoneMatchMatches(request.headers['if-none-match'], etag)) return payload;
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return null;
    });
  },
  { name: 'http-semantics', dependencies: ['errors', 'authentication'] },
);
