/**
 * Finishing touches on the document @fastify/swagger builds from the routes, where its defaults
 * would mislead a client generated from the contract:
 * - an error response (one referencing `Problem`) is declared `application/problem+json`, the type
 *   the server sends (the plugin writes every response as `application/json`);
 * - a response without a description gets one from its status (the plugin writes "Default Response");
 * - a multipart form's encoding (the part types of its file), which the plugin would drop, rides in
 *   the body schema under `FORM_ENCODING` and is moved here to the media type, where it belongs.
 */
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

function finishResponse(status: string, response: Json): void {
  const content = isObject(response.content) ? response.content : undefined;
  const json = content && isObject(content['application/json']) ? content['application/json'] : undefined;
  if (content && json && isObject(json.schema) && json.schema.$ref === PROBLEM_REFERENCE) {
    delete content['application/json'];
    content[PROBLEM_CONTENT_TYPE] = json;
  }
  if (response.description === 'Default Response' || response.description === undefined) {
    const description = SUCCESS_DESCRIPTIONS[status];
    if (!description) throw new Error(`response ${status} has no description: give its schema one`);
    response.description = description;
  }
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
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || !isObject(operation.responses)) continue;
      if (isObject(operation.requestBody)) finishRequestBody(operation.requestBody);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (isObject(response)) finishResponse(status, response);
      }
    }
  }
  return document;
}
