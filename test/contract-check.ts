import { readFileSync } from 'node:fs';
import {
  registerSchema,
  setShouldValidateSchema,
  validate,
  type OutputUnit,
  type SchemaObject,
  type Validator,
} from '@hyperjump/json-schema/openapi-3-1';
import { OPENAPI_FILE } from '../scripts/write-openapi';
import { RESPONSE_HEADERS } from '../src/platform/openapi/response-headers';

/**
 * Checks one response of the server against the committed contract (`openapi/openapi.json`):
 * its status is declared by the operation, its content type too, its body matches the declared
 * schema (so a problem's `code` is one the operation lists), the required headers are there and
 * valid, and no header of the API's own (`RESPONSE_HEADERS`) is sent where it is not declared.
 * The schemas are evaluated by @hyperjump/json-schema, whose OpenAPI 3.1 dialect is the one the
 * contract is written in (JSON Schema 2020-12 plus the OAS vocabulary); see ARCHITECTURE.md.
 */
export interface Exchange {
  method: string;
  /** The route's URL pattern (`/v1/mailboxes/:mailboxId`), or undefined when no route matched. */
  route: string | undefined;
  status: number;
  headers: Record<string, unknown>;
  /** The body as sent; undefined when it is a stream (a download), which is not read. */
  body: string | Buffer | null | undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An id for the contract inside the validator, never fetched: the document is registered from the file. */
const CONTRACT_URI = 'https://balise.invalid/openapi.json';
const OPENAPI_31_DOCUMENT_DIALECT = 'https://spec.openapis.org/oas/3.1/schema-base';

let contract: { paths: Record<string, Record<string, Json>> } & Json;
/** Validators by JSON pointer: each schema is compiled the first time a response needs it. */
const validators = new Map<string, Promise<Validator>>();

function loadContract() {
  if (contract) return contract;
  contract = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as typeof contract;
  // The document is linted by redocly (npm run lint); validating it again against the OAS
  // meta-schema in every test file would only cost time.
  setShouldValidateSchema(false);
  registerSchema(contract as unknown as SchemaObject, CONTRACT_URI, OPENAPI_31_DOCUMENT_DIALECT);
  return contract;
}

const escapePointer = (segment: string) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
const pointerOf = (segments: string[]) => segments.map((segment) => `/${escapePointer(segment)}`).join('');

/** Follows a local `$ref` (`#/components/responses/NotFound`) to the object and its pointer. */
function resolve(node: unknown, at: string[]): { node: Json; at: string[] } | undefined {
  if (!isObject(node)) return undefined;
  if (typeof node.$ref !== 'string') return { node, at };
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  const found = target.reduce<unknown>((parent, key) => (isObject(parent) ? parent[key] : undefined), contract);
  return resolve(found, target);
}

async function schemaErrors(at: string[], value: unknown): Promise<string[]> {
  const pointer = pointerOf(at);
  let compiled = validators.get(pointer);
  if (!compiled) {
    compiled = validate(`${CONTRACT_URI}#${pointer}`);
    validators.set(pointer, compiled);
  }
  const output = (await compiled)(value as never, 'BASIC');
  if (output.valid) return [];
  const units = (output.errors ?? []).filter((unit: OutputUnit) => !unit.valid);
  // The deepest failures say the most: `/code` is not in the enum, `/items/0` lacks `id`…
  return units
    .slice(-4)
    .map((unit) => `${unit.instanceLocation || '(root)'} fails ${unit.keyword.replace(/^.*\/keyword\//, '')}`);
}

/** A header as sent: Fastify keeps a value as given (a number, say), Node.js writes it as text. */
const headerText = (value: unknown) => (Array.isArray(value) ? value.join(', ') : `${value as string | number}`);

const mediaTypeOf = (headers: Json) =>
  headerText(headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');
const isEmpty = (body: Exchange['body']) => body === null || (body !== undefined && body.length === 0);

/** What the server answers on a path or method outside the contract: a problem, 404 or 405. */
async function outsideContract(exchange: Exchange): Promise<string[]> {
  const expected = exchange.status === 405 ? 'METHOD_NOT_ALLOWED' : 'ROUTE_NOT_FOUND';
  const found: string[] = [];
  if (exchange.status !== 404 && exchange.status !== 405)
    found.push(`no route matched, yet the status is not 404 or 405`);
  if (exchange.status === 405 && !exchange.headers.allow) found.push('a 405 without Allow');
  if (mediaTypeOf(exchange.headers) !== 'application/problem+json') found.push('not application/problem+json');
  const problem: unknown =
    typeof exchange.body === 'string' || Buffer.isBuffer(exchange.body)
      ? JSON.parse(exchange.body.toString())
      : undefined;
  found.push(...(await schemaErrors(['components', 'schemas', 'Problem'], problem)));
  if (isObject(problem) && problem.code !== expected)
    found.push(`code ${String(problem.code)} where ${expected} is due`);
  return found;
}

async function headerErrors(declared: Json, at: string[], headers: Json): Promise<string[]> {
  const found: string[] = [];
  const declaredNames = new Set(Object.keys(declared).map((name) => name.toLowerCase()));
  for (const [name, definition] of Object.entries(declared)) {
    const header = resolve(definition, [...at, name]);
    if (!header) continue;
    const value = headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.node.required === true) found.push(`required header ${name} is missing`);
      continue;
    }
    const errors = await schemaErrors([...header.at, 'schema'], headerText(value));
    if (errors.length > 0) found.push(`header ${name}: ${headerText(value)} ${errors.join(', ')}`);
  }
  for (const name of Object.keys(RESPONSE_HEADERS)) {
    if (headers[name.toLowerCase()] !== undefined && !declaredNames.has(name.toLowerCase()))
      found.push(`header ${name} is sent but not declared`);
  }
  return found;
}

/** What differs between a response and the contract; empty when it conforms. */
export async function contractMismatches(exchange: Exchange): Promise<string[]> {
  const document = loadContract();
  if (exchange.route === undefined) return outsideContract(exchange);
  const path = exchange.route.replace(/:(\w+)/g, '{$1}');
  // HEAD is answered by the GET route, without the body.
  const method = exchange.method === 'HEAD' ? 'get' : exchange.method.toLowerCase();
  const operation = document.paths[path]?.[method];
  if (!isObject(operation) || !isObject(operation.responses)) return ['the operation is not in the contract'];
  const declared = resolve(operation.responses[String(exchange.status)], [
    'paths',
    path,
    method,
    'responses',
    String(exchange.status),
  ]);
  if (!declared)
    return [`status ${exchange.status} is not declared (declared: ${Object.keys(operation.responses).join(', ')})`];

  const { node: response, at } = declared;
  const found = await headerErrors(
    isObject(response.headers) ? response.headers : {},
    [...at, 'headers'],
    exchange.headers,
  );
  const content = isObject(response.content) ? response.content : {};
  // HTTP sends no body with a 204 or 304, nor to a HEAD, whatever the handler gave.
  if (isEmpty(exchange.body) || exchange.method === 'HEAD' || exchange.status === 204 || exchange.status === 304)
    return found;
  const mediaType = mediaTypeOf(exchange.headers);
  if (!(mediaType in content)) {
    const types = Object.keys(content).join(', ') || 'no body';
    return [...found, `content type ${mediaType || '(none)'} is not declared (declared: ${types})`];
  }
  if (exchange.body === undefined || exchange.body === null || !isJson(mediaType)) return found;
  let body: unknown;
  try {
    body = JSON.parse(exchange.body.toString()) as unknown;
  } catch {
    return [...found, `the ${mediaType} body is not JSON`];
  }
  const errors = await schemaErrors([...at, 'content', mediaType, 'schema'], body);
  const code = isObject(body) && typeof body.code === 'string' ? ` (code ${body.code})` : '';
  if (errors.length > 0) found.push(`the body does not match the schema${code}: ${errors.join('; ')}`);
  return found;
}
