import { readFileSync } from 'node:fs';
import { OPENAPI_FILE } from '../scripts/write-openapi';
import { ERROR_CATALOGUE, type ErrorCode } from '../src/domain/errors/error-catalogue';

/**
 * "Required" in the contract means the server refuses the value's absence. A parameter or property
 * with a `default` is filled by the server when absent, so it must never be required: a generated
 * client would refuse calls the server accepts.
 */
type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

function requiredWithDefault(node: unknown, at: string, found: string[]): string[] {
  if (Array.isArray(node)) {
    node.forEach((item, index) => requiredWithDefault(item, `${at}/${index}`, found));
    return found;
  }
  if (!isNode(node)) return found;
  if (node.required === true && isNode(node.schema) && 'default' in node.schema)
    found.push(`${at} (${String(node.name)})`);
  if (Array.isArray(node.required) && isNode(node.properties)) {
    for (const name of node.required as string[]) {
      const property = node.properties[name];
      if (isNode(property) && 'default' in property) found.push(`${at}/properties/${name}`);
    }
  }
  for (const [key, value] of Object.entries(node)) requiredWithDefault(value, `${at}/${key}`, found);
  return found;
}

interface Response {
  $ref?: string;
  description?: string;
  content?: Record<string, { schema?: Node }>;
  headers?: Record<string, { $ref?: string }>;
}
type Operation = { responses: Record<string, Response> };
const readContract = () =>
  JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
    servers?: unknown[];
    paths: Record<string, Record<string, Operation>>;
    components: { responses?: Record<string, Response>; headers?: Record<string, unknown> };
  };
/** Every response of every operation, a shared one (`$ref`) read where it is declared. */
const responsesOf = (document: ReturnType<typeof readContract>) =>
  Object.entries(document.paths).flatMap(([route, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      Object.entries(operation.responses).map(([status, declared]) => {
        const shared = declared.$ref?.replace('#/components/responses/', '');
        const response = shared === undefined ? declared : document.components.responses?.[shared];
        if (!response)
          throw new Error(`${method} ${route} ${status} refers to ${declared.$ref}, which is not declared`);
        return { at: `${method} ${route} ${status}`, method, status, response };
      }),
    ),
  );

/** The codes an error response lists: its schema is Problem with `code` narrowed to an enum. */
function problemCodes(response: Response): unknown {
  const schema = response.content?.['application/problem+json']?.schema;
  const parts = Array.isArray(schema?.allOf) ? (schema.allOf as Node[]) : [];
  if (parts[0]?.$ref !== '#/components/schemas/Problem') return undefined;
  const properties = parts[1]?.properties as Record<string, Node> | undefined;
  return properties?.code?.enum;
}

describe('the committed OpenAPI contract', () => {
  it('declares errors as application/problem+json, the type the server sends', () => {
    const errors = responsesOf(readContract()).filter(({ status }) => Number(status) >= 400);
    expect(errors.length).toBeGreaterThan(0);
    for (const { at, response } of errors)
      expect({ at, types: Object.keys(response.content ?? {}) }).toEqual({ at, types: ['application/problem+json'] });
  });

  it('describes every response (never "Default Response") and names its servers', () => {
    const document = readContract();
    for (const { at, response } of responsesOf(document)) {
      expect({ at, description: response.description }).not.toEqual({ at, description: 'Default Response' });
      expect(response.description).toBeTruthy();
    }
    expect(document.servers?.length).toBeGreaterThan(0);
  });

  it('names every resource and list envelope, and the operations refer to them', () => {
    const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
      components: { schemas: Record<string, unknown> };
    };
    const names = ['Mailbox', 'MailboxPage', 'Structure', 'Import', 'ImportRowPage', 'ApiKeyPage', 'AuditEventPage'];
    for (const name of [...names, 'DirectoryEntry', 'DirectoryPage', 'AlimentationReport', 'Problem']) {
      expect(Object.keys(document.components.schemas)).toContain(name);
    }
    const mailbox = readContract().paths['/v1/mailboxes/{mailboxId}']?.get?.responses['200']?.content;
    expect(mailbox).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Mailbox' } } });
  });

  it('lists, for each error response, the codes of the catalogue it can carry, all of that status', () => {
    const errors = responsesOf(readContract()).filter(({ status }) => Number(status) >= 400);
    for (const { at, status, response } of errors) {
      const codes = problemCodes(response);
      expect({ at, listsCodes: Array.isArray(codes) && codes.length > 0 }).toEqual({ at, listsCodes: true });
      for (const code of codes as ErrorCode[])
        expect({ at, code, status: ERROR_CATALOGUE[code]?.status }).toEqual({ at, code, status: Number(status) });
    }
  });

  it('declares the headers the server sends: X-Request-Id everywhere, Retry-After on 429 and 503, ETag on 304', () => {
    const document = readContract();
    const headersOf = (response: Response) => Object.keys(response.headers ?? {});
    for (const { at, status, response } of responsesOf(document)) {
      if (!['408', '431'].includes(status))
        expect({ at, headers: headersOf(response) }).toEqual({ at, headers: expect.arrayContaining(['X-Request-Id']) });
      if (['429', '503'].includes(status))
        expect({ at, headers: headersOf(response) }).toEqual({ at, headers: expect.arrayContaining(['Retry-After']) });
      for (const header of Object.values(response.headers ?? {}))
        expect(Object.keys(document.components.headers ?? {})).toContain(
          header.$ref?.replace('#/components/headers/', ''),
        );
    }
    const conditionalGets = responsesOf(document).filter(
      ({ method, status, response }) => method === 'get' && status === '200' && headersOf(response).includes('ETag'),
    );
    expect(conditionalGets.length).toBeGreaterThan(0);
    for (const { at } of conditionalGets) {
      const notModified = responsesOf(document).find((other) => other.at === at.replace(/ 200$/, ' 304'));
      expect({ at, notModified: notModified && headersOf(notModified.response) }).toEqual({
        at,
        notModified: expect.arrayContaining(['ETag']),
      });
    }
  });

  it('lists the whole catalogue, with its statuses, in the README', () => {
    const readme = readFileSync(OPENAPI_FILE.replace(/openapi[\\/]openapi\.json$/, 'README.md'), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CATALOGUE))
      expect(readme).toContain(`| \`${code}\` | ${status} |`);
  });

  it('never requires a parameter or property the server gives a default', () => {
    const document: unknown = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    expect(requiredWithDefault(document, '#', [])).toEqual([]);
  });

  it('sees a required property with a default (the check itself works)', () => {
    const sample = {
      parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 5 } }],
      body: { type: 'object', required: ['flag'], properties: { flag: { type: 'boolean', default: false } } },
    };
    expect(requiredWithDefault(sample, '#', [])).toEqual(['#/parameters/0 (limit)', '#/body/properties/flag']);
  });
});
