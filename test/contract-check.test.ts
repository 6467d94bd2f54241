import { bearer, createTestApp, takeContractMismatches, type TestApp } from './harness';
import { contractMismatches } from './contract-check';
import { createStructure } from './factories';

/**
 * The harness checks every response against openapi/openapi.json. These tests make the server
 * answer what the contract does not say (a hook of the test rewrites chosen answers on their way
 * out, before the check) and show that each kind of mismatch is caught, naming the operation.
 */
const TAMPER = 'x-test-tamper';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({
    beforeReady: (app) => {
      app.get('/v1/test-only-route', async () => ({ anything: true }));
      app.addHook('onSend', async (request, reply, payload) => {
        const tamper = request.headers[TAMPER];
        if (tamper === 'status') reply.code(418);
        if (tamper === 'code' && typeof payload === 'string') return payload.replace('"NOT_FOUND"', '"CONFLICT"');
        if (tamper === 'body' && typeof payload === 'string') return payload.replace('"name":', '"nom":');
        if (tamper === 'header') reply.removeHeader('etag');
        if (tamper === 'type') reply.type('text/plain');
        return payload;
      });
    },
  });
});
afterAll(() => test.close());

const UNKNOWN_STRUCTURE = '/v1/structures/00000000-0000-4000-8000-000000000000';

async function mismatchesOf(tamper: string, path: string): Promise<string[]> {
  await test.http.get(path).set(bearer(test.operatorKey)).set(TAMPER, tamper);
  return takeContractMismatches();
}

async function createdStructurePath(): Promise<string> {
  const structure = await createStructure(test);
  return `/v1/structures/${structure.id}`;
}

describe('the contract check of the test harness', () => {
  it('passes a response the contract declares', async () => {
    await test.http.get(UNKNOWN_STRUCTURE).set(bearer(test.operatorKey)).expect(404);
    await test.http.get('/v1/nowhere').expect(404);
    expect(takeContractMismatches()).toEqual([]);
  });

  it('catches a status the operation does not declare', async () => {
    expect(await mismatchesOf('status', UNKNOWN_STRUCTURE)).toEqual([
      expect.stringMatching(/^GET \/v1\/structures\/:structureId → 418: status 418 is not declared/),
    ]);
  });

  it('catches an error code the operation does not list for that status', async () => {
    expect(await mismatchesOf('code', UNKNOWN_STRUCTURE)).toEqual([
      expect.stringMatching(/→ 404: the body does not match the schema \(code CONFLICT\): .*\/code fails enum/),
    ]);
  });

  it('catches a body that does not match the schema, a missing header and an undeclared content type', async () => {
    const structure = await createdStructurePath();
    expect(await mismatchesOf('body', structure)).toEqual([
      expect.stringMatching(/^GET \/v1\/structures\/:structureId → 200: the body does not match the schema/),
    ]);
    expect(await mismatchesOf('header', structure)).toEqual([
      expect.stringContaining('required header ETag is missing'),
    ]);
    expect(await mismatchesOf('type', structure)).toEqual([
      expect.stringContaining('content type text/plain is not declared (declared: application/json)'),
    ]);
  });

  it('exempts only the routes the test added, and checks the answers outside the contract as problems', async () => {
    await test.http.get('/v1/test-only-route').set(bearer(test.operatorKey)).expect(200);
    expect(takeContractMismatches()).toEqual([]);
    const outside = await contractMismatches({
      method: 'GET',
      route: undefined,
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'NOT_FOUND' }),
    });
    expect(outside).toEqual(
      expect.arrayContaining(['not application/problem+json', 'code NOT_FOUND where ROUTE_NOT_FOUND is due']),
    );
  });
});
