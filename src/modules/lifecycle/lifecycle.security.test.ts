import { bearer } from '../../../test/harness';
import { createApiKey, createMailbox } from '../../../test/factories';
import { sendCall, useScopingCast, type RouteCall } from '../../../test/scoping-matrix';

const cast = useScopingCast();

type Call = (mailboxId: string) => RouteCall;
const send = (call: RouteCall, key?: string) => sendCall(cast().test, call, key);

/** [name, call, status for an admin of the box's structure, for its reader, for an admin of another structure] */
const routes: [string, Call, number, number, number][] = [
  // The mail platform's call: operator keys only, whoever's box it is (the role check comes first and reveals nothing).
  ['record activity', (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/activity` }), 403, 403, 403],
  // An admin reaches the rules (409: the box is not deleted); a reader may not write; another structure's box does not exist.
  ['restore', (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/restore` }), 409, 403, 404],
  ['run a sweep', () => ({ method: 'post', path: '/v1/lifecycle/sweeps' }), 403, 403, 403],
  ['list upcoming', () => ({ method: 'get', path: `/v1/lifecycle/upcoming?structureId=${cast().mine}` }), 200, 200, 404],
];

describe.each(routes)('lifecycle route: %s', (_name, call, asAdmin, asReader, asStranger) => {
  it('needs a key (401)', async () => {
    const { test, mine } = cast();
    const box = await createMailbox(test, mine);
    await send(call(box.id)).expect(401);
    await send(call(box.id), 'blk_not_a_key_at_all_0000000000').expect(401);
  });

  it(`answers an admin ${asAdmin}, a reader ${asReader}, another structure's admin ${asStranger}`, async () => {
    const { test, mine, theirs, adminKey, readerKey } = cast();
    const box = await createMailbox(test, mine);
    expect((await send(call(box.id), adminKey)).status).toBe(asAdmin);
    expect((await send(call(box.id), readerKey)).status).toBe(asReader);
    const strangerKey = (await createApiKey(test, 'admin', [theirs])).key;
    expect((await send(call(box.id), strangerKey)).status).toBe(asStranger);
    const unchanged = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey));
    expect(unchanged.body).toMatchObject({ status: 'preregistered', lastActivityAt: null });
  });
});

describe('lifecycle routes for the operator', () => {
  it('records activity and runs sweeps; an unknown box is a 404', async () => {
    const { test, theirs } = cast();
    const box = await createMailbox(test, theirs);
    await test.http.post(`/v1/mailboxes/${box.id}/activity`).set(bearer(test.operatorKey)).expect(204);
    await test.http.post('/v1/mailboxes/00000000-0000-4000-8000-000000000000/activity').set(bearer(test.operatorKey)).expect(404);
    await test.http.post('/v1/mailboxes/00000000-0000-4000-8000-000000000000/restore').set(bearer(test.operatorKey)).expect(404);
    const report = await test.http.post('/v1/lifecycle/sweeps').set(bearer(test.operatorKey)).expect(200);
    expect(report.body).toMatchObject({ trigger: 'api', deleted: { count: 0 }, purged: { count: 0 } });
  });
});
