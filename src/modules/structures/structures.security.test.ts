import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createStructure } from '../../../test/factories';

let test: TestApp;
let mine: { id: string };
let theirs: { id: string };
let adminKey: string;
let readerKey: string;

beforeAll(async () => {
  test = await createTestApp();
  mine = await createStructure(test);
  theirs = await createStructure(test);
  adminKey = (await createApiKey(test, 'admin', [mine.id])).key;
  readerKey = (await createApiKey(test, 'reader', [mine.id])).key;
});
afterAll(() => test.close());

type Method = 'get' | 'post' | 'patch' | 'delete';
interface RouteCase {
  method: Method;
  path: (structureId: string) => string;
  body?: Record<string, unknown>;
}

const routes: Record<string, RouteCase> = {
  'list structures': { method: 'get', path: () => '/v1/structures' },
  'get a structure': { method: 'get', path: (id) => `/v1/structures/${id}` },
  'update a structure': { method: 'patch', path: (id) => `/v1/structures/${id}`, body: { name: 'Changed' } },
  'delete a structure': { method: 'delete', path: (id) => `/v1/structures/${id}` },
  'create a structure': { method: 'post', path: () => '/v1/structures', body: { name: 'New' } },
  'read the audit trail': { method: 'get', path: (id) => `/v1/audit-events?structureId=${id}` },
};

function call(route: RouteCase, structureId: string, key?: string) {
  const request = test.http[route.method](route.path(structureId));
  if (key) request.set(bearer(key));
  return route.body ? request.send(route.body) : request;
}

/** What each role gets on its own structure and on another's. */
const expectations: Record<string, { admin: [number, number]; reader: [number, number] }> = {
  'list structures': { admin: [200, 200], reader: [200, 200] },
  'get a structure': { admin: [200, 404], reader: [200, 404] },
  'update a structure': { admin: [200, 404], reader: [403, 403] },
  'delete a structure': { admin: [403, 403], reader: [403, 403] },
  'create a structure': { admin: [403, 403], reader: [403, 403] },
  'read the audit trail': { admin: [200, 404], reader: [200, 404] },
};

describe.each(Object.entries(routes))('%s', (name, route) => {
  it('needs an API key (401, problem+json)', async () => {
    const response = await call(route, mine.id).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown key', async () => {
    await call(route, mine.id, 'blk_not-a-real-key').expect(401);
  });

  it('scopes an admin to its structures', async () => {
    const [own, other] = expectations[name]!.admin;
    expect((await call(route, mine.id, adminKey)).status).toBe(own);
    expect((await call(route, theirs.id, adminKey)).status).toBe(other);
  });

  it('keeps a reader read-only and scoped', async () => {
    const [own, other] = expectations[name]!.reader;
    expect((await call(route, mine.id, readerKey)).status).toBe(own);
    expect((await call(route, theirs.id, readerKey)).status).toBe(other);
  });
});

it('shows an admin only its structures in lists and audit', async () => {
  const structures = await test.http.get('/v1/structures?limit=500').set(bearer(adminKey)).expect(200);
  expect(structures.body.items.map((item: { id: string }) => item.id)).toEqual([mine.id]);
  const events = await test.http.get('/v1/audit-events?limit=500').set(bearer(adminKey)).expect(200);
  expect(events.body.items.length).toBeGreaterThan(0);
  expect(events.body.items.every((event: { structureId: string }) => event.structureId === mine.id)).toBe(true);
});

it('answers 404 for a structure that does not exist, as for one that is not visible', async () => {
  const missing = '00000000-0000-4000-8000-000000000000';
  const hidden = await test.http.get(`/v1/structures/${theirs.id}`).set(bearer(adminKey)).expect(404);
  const absent = await test.http.get(`/v1/structures/${missing}`).set(bearer(adminKey)).expect(404);
  expect(hidden.body.detail).toBe(absent.body.detail);
});
