import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyError } from 'fastify';
import { bearer, createTestApp, type TestApp } from '../harness';
import {
  assignCorrespondence,
  createApiKey,
  createMailbox,
  createStructure,
  loaduserCsv,
  uniqueEmail,
  uniqueLocalPart,
  uploadImport,
  validRpps,
} from '../factories';
import {
  HUGE_STRING,
  hostileValue,
  queryValueFor,
  RawJson,
  toJsonText,
  valueFor,
  type JsonSchema,
} from './request-arbitraries';

/**
 * Every operation of the contract, fed requests of its declared shape with hostile values in
 * place (NUL, unpaired surrogates, 1e400, 20-digit integers, 1 MiB strings, deep nesting, wrong
 * types, malformed multipart): no answer may be a 5xx, and every error is problem+json. The
 * operations come from the committed contract, which the drift test keeps equal to the app's;
 * path parameters are mostly real ids, so that requests get past the lookups to the handlers.
 */

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface Contract {
  paths: Record<string, Record<string, Operation>>;
}

const CONTRACT: Contract = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'),
);
const OPERATIONS = Object.entries(CONTRACT.paths).flatMap(([route, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    label: `${method.toUpperCase()} ${route}`,
    method,
    route,
    operation,
  })),
);

/** Runs per operation: about 70 operations, so the file stays well under a minute on PGlite. */
const RUNS = Number(process.env.HOSTILE_INPUT_RUNS ?? 20);
const PROBLEM = /^application\/problem\+json/;

let test: TestApp;
const realIds = new Map<string, string>();
/** Server-side errors behind 5xx answers, by request id, to say what broke. */
const crashes = new Map<string, string>();

beforeAll(async () => {
  test = await createTestApp({
    beforeReady: (app) =>
      app.addHook('onError', async (request, _reply, error: FastifyError) => {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        crashes.set(
          request.id,
          `${error.name}: ${error.message}`.slice(0, 400) +
            (cause ? ` (cause: ${cause.code ?? ''} ${cause.message ?? ''})` : ''),
        );
      }),
  });
  const structure = await createStructure(test);
  const owner = await createMailbox(test, structure.id, 'PER');
  await assignCorrespondence(test, owner.id, uniqueLocalPart());
  const organisational = await createMailbox(test, structure.id, 'ORG');
  const delegate = await createMailbox(test, structure.id, 'PER');
  const changeRequest = await test.http
    .post(`/v1/mailboxes/${owner.id}/email-change-requests`)
    .set(bearer(test.operatorKey))
    .send({ newEmail: uniqueEmail('new') })
    .expect(201);
  const upload = await uploadImport(
    test,
    structure.id,
    loaduserCsv([{ A: uniqueEmail(), B: 'Dupont', C: 'Jean', D: validRpps(), S: 'PER' }]),
  ).expect(202);
  const sample = readFileSync(path.join(__dirname, '..', 'fixtures', 'extraction-correspondance-mssante-sample.txt'));
  const extraction = await test.http
    .post('/v1/reference/extractions')
    .set(bearer(test.operatorKey))
    .attach('file', sample, 'extraction.txt')
    .expect(202);
  // A key of its own: the operator key the requests use must survive DELETE /v1/api-keys/{id}.
  const apiKey = await createApiKey(test, 'reader', [structure.id]);
  Object.entries({
    structureId: structure.id,
    mailboxId: owner.id,
    accountMailboxId: organisational.id,
    delegateMailboxId: delegate.id,
    requestId: changeRequest.body.id,
    importId: upload.body.id,
    extractionId: extraction.body.id,
    apiKeyId: apiKey.id,
  }).forEach(([name, id]: [string, string]) => realIds.set(name, id));
  await test.app.jobs.drain();
});
afterAll(() => test.close());

const pathValue = (name: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(realIds.get(name) ?? '00000000-0000-4000-8000-000000000000') },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.uuid(),
        fc.constantFrom('a%00b', '%FF', '%ED%A0%80', 'x'.repeat(101), '1e400', '%2E%2E', 'null'),
      ),
    },
  );

const headerToken = fc.stringMatching(/^[!-~]{1,40}$/);

const MULTIPART_BODIES: [string, string][] = [
  ['multipart/form-data', 'no boundary'],
  [
    'multipart/form-data; boundary=xyz',
    '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
  ],
  [
    'multipart/form-data; boundary=xyz',
    '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n\r\nabc\r\n--xyz--\r\n',
  ],
  [
    'multipart/form-data; boundary=xyz',
    '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na\r\n--xyz\r\nContent-Disposition: form-data; name="file"; filename="b.csv"\r\n\r\nb\r\n--xyz--\r\n',
  ],
  [
    'multipart/form-data; boundary=xyz',
    '--xyz\r\nContent-Disposition: form-data; name="dryRun"\r\n\r\n\u0000\r\n--xyz\r\nContent-Disposition: form-data; name="x\u0000"\r\n\r\n1\r\n--xyz--\r\n',
  ],
  ['multipart/form-data; boundary=xyz', 'garbage'],
  ['multipart/form-data; boundary=xyz', '--xyz--\r\n'],
];

interface HostileRequest {
  url: string;
  headers: Record<string, string>;
  contentType?: string;
  body?: string;
}

function requestFor(method: string, route: string, operation: Operation): fc.Arbitrary<HostileRequest> {
  const parameters = operation.parameters ?? [];
  const pathArbitraries = parameters
    .filter((parameter) => parameter.in === 'path')
    .map((parameter) => pathValue(parameter.name).map((value) => [parameter.name, value] as const));
  const queryArbitraries = parameters
    .filter((parameter) => parameter.in === 'query')
    .map((parameter) =>
      fc
        .option(fc.array(queryValueFor(parameter.schema, [...realIds.values()]), { minLength: 1, maxLength: 2 }), {
          freq: 3,
        })
        .map((values) => (values ?? []).map((value) => `${parameter.name}=${value}`)),
    );
  const headerArbitraries = parameters
    .filter((parameter) => parameter.in === 'header')
    .map((parameter) => fc.option(headerToken, { freq: 2 }).map((value) => [parameter.name, value] as const));
  const content = operation.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema;
  const body: fc.Arbitrary<{ contentType?: string; body?: string }> = jsonSchema
    ? fc.oneof(
        {
          weight: 12,
          arbitrary: valueFor(jsonSchema, [...realIds.values()]).map((value) => ({
            contentType: 'application/json',
            body: toJsonText(value),
          })),
        },
        {
          weight: 2,
          arbitrary: hostileValue.map((value) => ({ contentType: 'application/json', body: toJsonText(value) })),
        },
        {
          weight: 1,
          arbitrary: fc.constant({
            contentType: 'application/json',
            body: toJsonText(new RawJson(JSON.stringify(HUGE_STRING))),
          }),
        },
      )
    : content['multipart/form-data']
      ? fc.oneof(
          fc.constantFrom(...MULTIPART_BODIES).map(([contentType, text]) => ({ contentType, body: text })),
          hostileValue.map((value) => ({ contentType: 'application/json', body: toJsonText(value) })),
        )
      : fc.constant({});
  return fc
    .record({
      path: fc.tuple(...pathArbitraries),
      query: fc.tuple(...queryArbitraries),
      headers: fc.tuple(...headerArbitraries),
      body,
    })
    .map(({ path: pathValues, query, headers, body: sent }) => {
      let url = route;
      for (const [name, value] of pathValues) url = url.replace(`{${name}}`, value);
      const pairs = query.flat();
      if (pairs.length > 0) url += `?${pairs.join('&')}`;
      const headerValues = Object.fromEntries(
        headers.filter((entry): entry is readonly [string, string] => entry[1] !== null),
      );
      return { url, headers: { ...headerValues, ...bearer(test.operatorKey) }, ...sent };
    });
}

async function send(method: string, request: HostileRequest) {
  let call = test.http[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](request.url).set(request.headers);
  if (request.contentType !== undefined) call = call.set('content-type', request.contentType).send(request.body ?? '');
  return call;
}

describe('hostile input on every operation of the contract', () => {
  it('lists the operations from the contract (the fuzzing below covers all of them)', () => {
    expect(OPERATIONS.length).toBeGreaterThan(50);
    expect(OPERATIONS.map((operation) => operation.label)).toEqual(
      expect.arrayContaining([
        'POST /v1/mailboxes',
        'POST /v1/structures/{structureId}/imports',
        'GET /v1/audit-events',
      ]),
    );
  });

  it.each(OPERATIONS)(
    '$label answers below 500, errors as problem+json',
    async ({ method, route, operation }) => {
      await fc.assert(
        fc.asyncProperty(requestFor(method, route, operation), async (request) => {
          const response = await send(method, request);
          const contentType = String(response.headers['content-type'] ?? '');
          if (response.status >= 500 || (response.status >= 400 && !PROBLEM.test(contentType))) {
            const requestId = String(response.headers['x-request-id'] ?? '');
            throw new Error(
              `${method.toUpperCase()} ${request.url.slice(0, 300)} → ${response.status} ${contentType}\n` +
                `body sent: ${(request.body ?? '').slice(0, 300)}\nanswer: ${response.text.slice(0, 300)}\nserver: ${crashes.get(requestId) ?? '-'}`,
            );
          }
        }),
        { numRuns: RUNS },
      );
    },
    120_000,
  );
});
