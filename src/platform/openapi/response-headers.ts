import type { RouteOptions } from 'fastify';

interface HeaderDefinition {
  description: string;
  schema: Record<string, unknown>;
  /** Sent on every response that declares it (a replay marker, say, is not). */
  required: boolean;
}

/**
 * The response headers the API sends, declared once in the contract (`components.headers`) and
 * referred to by the responses that carry them. A route names those it sets with `withHeaders`;
 * the plugins that set headers on many routes declare them in their `onRoute` hook
 * (`declareRouteHeaders`), and `X-Request-Id` and `Retry-After` are added to the document by rule
 * (`finishContract`).
 */
export const RESPONSE_HEADERS = {
  ETag: {
    description: 'The version of the resource (strong, e.g. `"3"`): send it back in `If-Match` or `If-None-Match`',
    schema: { type: 'string', pattern: '^"[0-9]+"$' },
    required: true,
  },
  Location: {
    description: 'Where the created resource, or the work accepted, can be read',
    schema: { type: 'string', format: 'uri-reference' },
    required: true,
  },
  'Content-Disposition': {
    description: 'On a file (CSV, XLSX): an attachment, with the file name to save it under',
    schema: { type: 'string', pattern: '^attachment; filename=' },
    required: false,
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'string', pattern: '^[0-9]+$' },
    required: true,
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this answer replays the first one given to this `Idempotency-Key` (a refusal by ' +
      'the operation is replayed too; what is refused before it runs, such as a 400 or 401, never is)',
    schema: { type: 'string', enum: ['true'] },
    required: false,
  },
  'Idempotent-Redacted': {
    description: 'On a replay: the answer fields left out because they are never stored (a secret shown once)',
    schema: { type: 'string' },
    required: false,
  },
  'X-Request-Id': {
    description:
      'The id of this request in the logs (the `requestId` of a problem): the client’s own `X-Request-Id` when it sent a reasonable token, otherwise a UUID',
    schema: { type: 'string' },
    required: true,
  },
  'WWW-Authenticate': {
    description:
      'How to authenticate (RFC 6750), on every 401: `Bearer realm="balise"`, with `error="invalid_token"` and an ' +
      '`error_description` when the credential sent was refused (unknown, revoked or expired key or token, another ' +
      'audience or issuer, a bad signature). On the 403 of a sign-in too weak (`INSUFFICIENT_AUTHENTICATION`, RFC 9470): ' +
      '`error="insufficient_user_authentication"` and `acr_values`, the level to sign in again at. ' +
      'Not required by the contract because a 403 for a role too low does not carry it.',
    schema: { type: 'string', pattern: '^Bearer realm="balise"' },
    required: false,
  },
  'X-RateLimit-Limit': {
    description: 'Requests allowed from the client’s address per window',
    schema: { type: 'string', pattern: '^[0-9]+$' },
    required: true,
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'string', pattern: '^[0-9]+$' },
    required: true,
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the window ends',
    schema: { type: 'string', pattern: '^[0-9]+$' },
    required: true,
  },
} as const satisfies Record<string, HeaderDefinition>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

/**
 * A response schema that also declares the headers sent with it (@fastify/swagger writes a
 * schema's `headers` as the response's; `finishContract` turns them into references).
 */
export function withHeaders<S extends object>(schema: S, ...names: ResponseHeader[]): S {
  const existing = (schema as { headers?: Record<string, unknown> }).headers ?? {};
  const added = Object.fromEntries(names.map((name) => [name, { type: 'string', description: RESPONSE_HEADERS[name].description }]));
  return { ...schema, headers: { ...existing, ...added } };
}

/** Declares `names` on the responses of a route whose status `applies`, from an `onRoute` hook. */
export function declareRouteHeaders(route: RouteOptions, applies: (status: number) => boolean, ...names: ResponseHeader[]): void {
  const responses = route.schema?.response as Record<string, object> | undefined;
  if (!responses) return;
  const updated = Object.entries(responses).map(([status, schema]) => [
    status,
    applies(Number(status)) ? withHeaders(schema, ...names) : schema,
  ]);
  route.schema = { ...route.schema, response: Object.fromEntries(updated) };
}
