import { bearer } from '../../../test/harness';
import { sendCall, useScopingCast, type RouteCall } from '../../../test/scoping-matrix';

const cast = useScopingCast();

interface RouteCase {
  method: RouteCall['method'];
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
  return sendCall(cast().test, { method: route.method, path: route.path(structureId), body: route.body }, key);
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
    const { mine } = cast();
    const response = await call(route, mine).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown key', async () => {
    const { mine } = cast();
    await call(route, mine, 'blk_not-a-real-key').expect(401);
  });

  it('scopes an admin to its structures', async () => {
    const { mine, theirs, adminKey } = cast();
    const [own, other] = expectations[name]!.admin;
    expect((await call(route, mine, adminKey)).status).toBe(own);
    expect((await call(route, theirs, adminKey)).status).toBe(other);
  });

  it('keeps a reader read-only and scoped', async () => {
    const { mine, theirs, readerKey } = cast();
    const [own, other] = expectations[name]!.reader;
    expect((await call(route, mine, readerKey)).status).toBe(own);
    expect((await call(route, theirs, readerKey)).status).toBe(other);
  });
});

it('shows an admin only its structures in lists and audit', async () => {
  const { test, mine, adminKey } = cast();
  const structures = await test.http.get('/v1/structures?limit=500').set(bearer(adminKey)).expect(200);
  expect(structures.body.items.map((item: { id: string }) => item.id)).toEqual([mine]);
  const events = await test.http.get('/v1/audit-events?limit=500').set(bearer(adminKey)).expect(200);
  expect(events.body.items.length).toBeGreaterThan(0);
  expect(events.body.items.every((event: { structureId: string }) => event.structureId === mine)).toBe(true);
});

it('answers 404 for a structure that does not exist, as for one that is not visible', async () => {
  const { test, theirs, adminKey } = cast();
  const missing = '00000000-0000-4000-8000-000000000000';
  const hidden = await test.http.get(`/v1/structures/${theirs}`).set(bearer(adminKey)).expect(404);
  const absent = await test.http.get(`/v1/structures/${missing}`).set(bearer(adminKey)).expect(404);
  expect(hidden.body.detail).toBe(absent.body.detail);
});
