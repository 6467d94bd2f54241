import { bearer } from '../../../test/harness';
import { createMailbox } from '../../../test/factories';
import { describeRoleTable, useScopingCast, type RoleTableRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** A fresh box of the structure: what the lifecycle routes act on (or ignore). */
async function box(structureId: string) {
  const created = await createMailbox(cast().test, structureId);
  return { id: created.id, structureId };
}
type Box = Awaited<ReturnType<typeof box>>;

const routes: RoleTableRoute<Box>[] = [
  // The mail platform's call: operator keys only, whoever's box it is (the role check comes first and reveals nothing).
  [
    'record activity',
    ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/activity` }),
    { admin: [403, 403], reader: [403, 403] },
  ],
  // An admin reaches the rules (409: the box is not deleted); a reader may not write; another structure's box does not exist.
  [
    'restore',
    ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/restore` }),
    { admin: [409, 404], reader: [403, 403] },
  ],
  ['run a sweep', () => ({ method: 'post', path: '/v1/lifecycle/sweeps' }), { admin: [403, 403], reader: [403, 403] }],
  [
    'list upcoming',
    ({ structureId }) => ({ method: 'get', path: `/v1/lifecycle/upcoming?structureId=${structureId}` }),
    { admin: [200, 404], reader: [200, 404] },
  ],
];

describeRoleTable({
  title: '(lifecycle)',
  routes,
  context: cast,
  arrange: box,
  stateOf: async ({ id }) => {
    const { body } = await cast().test.http.get(`/v1/mailboxes/${id}`).set(bearer(cast().test.operatorKey));
    return { status: body.status, lastActivityAt: body.lastActivityAt };
  },
  arrangedState: () => ({ status: 'preregistered', lastActivityAt: null }),
});

describe('lifecycle routes for the operator', () => {
  it('records activity and runs sweeps; an unknown box is a 404', async () => {
    const { test, theirs } = cast();
    const box = await createMailbox(test, theirs);
    await test.http.post(`/v1/mailboxes/${box.id}/activity`).set(bearer(test.operatorKey)).expect(204);
    await test.http
      .post('/v1/mailboxes/00000000-0000-4000-8000-000000000000/activity')
      .set(bearer(test.operatorKey))
      .expect(404);
    await test.http
      .post('/v1/mailboxes/00000000-0000-4000-8000-000000000000/restore')
      .set(bearer(test.operatorKey))
      .expect(404);
    const report = await test.http.post('/v1/lifecycle/sweeps').set(bearer(test.operatorKey)).expect(200);
    expect(report.body).toMatchObject({ trigger: 'api', deleted: { count: 0 }, purged: { count: 0 } });
  });
});
