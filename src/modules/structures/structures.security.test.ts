import { bearer } from '../../../test/harness';
import { describeRoleTable, useScopingCast, type RoleTableRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** Each route on a structure (or none), and what each role gets on its own structure and on another's. */
const routes: RoleTableRoute<string>[] = [
  ['list structures', () => ({ method: 'get', path: '/v1/structures' }), { admin: [200, 200], reader: [200, 200] }],
  [
    'get a structure',
    (id) => ({ method: 'get', path: `/v1/structures/${id}` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
  [
    'update a structure',
    (id) => ({ method: 'patch', path: `/v1/structures/${id}`, body: { name: 'Changed' } }),
    { admin: [200, 404], reader: [403, 403] },
  ],
  [
    'delete a structure',
    (id) => ({ method: 'delete', path: `/v1/structures/${id}` }),
    { admin: [403, 403], reader: [403, 403] },
  ],
  [
    'create a structure',
    () => ({ method: 'post', path: '/v1/structures', body: { name: 'New' } }),
    { admin: [403, 403], reader: [403, 403] },
  ],
  [
    'read the audit trail',
    (id) => ({ method: 'get', path: `/v1/audit-events?structureId=${id}` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
];

describeRoleTable({
  title: 'route',
  routes,
  context: cast,
  arrange: async (structureId) => structureId,
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
