/**
 * Finishing touches on the document @fastify/swagger builds from the routes, where its defaults
 * would mislead a client generated from the contract:
 * - an error response (one referencing `Problem`) is declared `application/problem+json`, the type
 *   the server sends (the plugin writes every response as `application/json`);
 * - a response without a description gets one from its status (the plugin writes "Default Response");
 * - response headers are references to `components.headers` (`RESPONSE_HEADERS`), and every
 *   response declares `X-Request-Id`, every 429 and 503 `Retry-After`;
 * - a multipart form's encoding (the part types of its file), which the plugin would drop, rides in
 *   the body schema under `FORM_ENCODING` and is moved here to the media type, where it belongs.
 */
import { problemCodesOf } from '../errors/problem.schema';
import { RESPONSE_HEADERS, type ResponseHeader } from './response-headers';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export const PROBLEM_REFERENCE = '#/components/schemas/Problem';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  '200': 'Success',
  '201': 'Created',
  '202': 'Accepted: the work goes on in the background; follow it with the resource returned',
  '204': 'Done; nothing to return',
};

/** A problem document: `Problem` itself, or `Problem` with its `code` narrowed (`allOf`). */
const isProblemSchema = (schema: Json) =>
  schema.$ref === PROBLEM_REFERENCE ||
  (Array.isArray(schema.allOf) && isObject(schema.allOf[0]) && schema.allOf[0].$ref === PROBLEM_REFERENCE);

const headerReference = (name: ResponseHeader) => ({ $ref: `#/components/headers/${name}` });
const isDeclaredHeader = (name: string): name is ResponseHeader => name in RESPONSE_HEADERS;

/**
 * What the HTTP parser answers on the raw socket (408, 431) carries no request id: no request was
 * made of it. Every other answer does.
 */
const WITHOUT_REQUEST_ID = new Set(['408', '431']);
const WITH_RETRY_AFTER = new Set(['429', '503']);

function finishHeaders(status: string, response: Json): void {
  const declared = isObject(response.headers) ? response.headers : {};
  const names = Object.keys(declared).map((name) => {
    if (!isDeclaredHeader(name)) throw new Error(`response header ${name} is not in RESPONSE_HEADERS`);
    return name;
  });
  if (!WITHOUT_REQUEST_ID.has(status)) names.push('X-Request-Id');
  if (WITH_RETRY_AFTER.has(status)) names.push('Retry-After');
  response.headers = Object.fromEntries([...new Set(names)].map((name) => [name, headerReference(name)]));
}

function finishResponse(status: string, response: Json): void {
  const content = isObject(response.content) ? response.content : undefined;
  const json = content && isObject(content['application/json']) ? content['application/json'] : undefined;
  if (content && json && isObject(json.schema) && isProblemSchema(json.schema)) {
    delete content['application/json'];
    content[PROBLEM_CONTENT_TYPE] = json;
  }
  if (response.description === 'Default Response' || response.description === undefined) {
    const description = SUCCESS_DESCRIPTIONS[status];
    if (!description) throw new Error(`response ${status} has no description: give its schema one`);
    response.description = description;
  }
  finishHeaders(status, response);
}

const pascalCase = (code: string) =>
  code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** The schema of a response's problem document, if it has one. */
function problemSchemaOf(response: Json): unknown {
  const content = isObject(response.content) ? response.content[PROBLEM_CONTENT_TYPE] : undefined;
  return isObject(content) ? content.schema : undefined;
}

/** Headers a shared error response may carry; one with others (a route's rate limit) stays inline. */
const SHAREABLE_HEADERS = new Set(['X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'Idempotent-Redacted']);

/**
 * Error responses are the same on many operations (the 401, the 400, the 5xx…): each distinct one
 * is declared once in `components.responses`, named after its codes (`NotFound`,
 * `EmailTakenOrInvalidTransition`; `…Replayable` on a POST, where it may be an Idempotency-Key
 * replay), and the operations refer to it. One that only one operation
 * gives, or with headers of its route (a rate limit), stays inline.
 */
function shareProblemResponses(paths: Record<string, Record<string, unknown>>): Record<string, Json> {
  const shared = new Map<string, { response: Json; uses: { responses: Json; status: string }[] }>();
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      const responses = operation.responses;
      for (const [status, response] of Object.entries(responses)) {
        if (!isObject(response)) continue;
        const codes = problemCodesOf(problemSchemaOf(response));
        if (codes.length === 0) continue;
        const headers = Object.keys(isObject(response.headers) ? response.headers : {});
        if (headers.some((name) => !SHAREABLE_HEADERS.has(name))) continue;
        const name = codes.map(pascalCase).join('Or') + (headers.includes('Idempotent-Replayed') ? 'Replayable' : '');
        const existing = shared.get(name);
        if (existing && JSON.stringify(existing.response) !== JSON.stringify(response))
          throw new Error(`two different error responses would be named ${name} (${status})`);
        const uses = existing?.uses ?? [];
        uses.push({ responses, status });
        shared.set(name, { response, uses });
      }
    }
  }
  const components: Record<string, Json> = {};
  for (const [name, { response, uses }] of [...shared].sort(([a], [b]) => a.localeCompare(b))) {
    if (uses.length < 2) continue;
    components[name] = response;
    for (const { responses, status } of uses) responses[status] = { $ref: `#/components/responses/${name}` };
  }
  return components;
}

export const FORM_ENCODING = 'x-form-encoding';

function finishRequestBody(body: Json): void {
  const content = isObject(body.content) ? body.content : {};
  for (const media of Object.values(content)) {
    if (!isObject(media) || !isObject(media.schema) || !(FORM_ENCODING in media.schema)) continue;
    media.encoding = media.schema[FORM_ENCODING];
    delete media.schema[FORM_ENCODING];
  }
}

export function finishContract<T>(document: T): T {
  const contract = document as { paths?: Record<string, Record<string, unknown>>; components?: Json };
  contract.components = { ...contract.components, headers: RESPONSE_HEADERS };
  const paths = contract.paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      if (isObject(operation.requestBody)) finishRequestBody(operation.requestBody);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (isObject(response)) finishResponse(status, response);
      }
    }
  }
  contract.components.responses = shareProblemResponses(paths);
  return document;
}
