import { bearer } from '../../../test/harness';
import { createMailbox, uniqueEmail } from '../../../test/factories';
import { describeScopingMatrix, useScopingCast, type ScopedRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** A box of the structure with a pending request, made by the operator. */
async function pendingRequest(structureId: string) {
  const { test } = cast();
  const box = await createMailbox(test, structureId);
  const response = await test.http
    .post(`/v1/mailboxes/${box.id}/email-change-requests`)
    .set(bearer(test.operatorKey))
    .send({ newEmail: uniqueEmail('new') })
    .expect(201);
  return { mailboxId: box.id, requestId: response.body.id as string };
}
type Ids = Awaited<ReturnType<typeof pendingRequest>>;

const routes: ScopedRoute<Ids>[] = [
  // The create route meets the box's pending request: a 409 says the admin got past scoping and role.
  [
    'create',
    true,
    409,
    ({ mailboxId }) => ({
      method: 'post',
      path: `/v1/mailboxes/${mailboxId}/email-change-requests`,
      body: { newEmail: uniqueEmail() },
    }),
  ],
  ['get', false, 200, ({ requestId }) => ({ method: 'get', path: `/v1/email-change-requests/${requestId}` })],
  [
    'approve',
    true,
    200,
    ({ requestId }) => ({ method: 'post', path: `/v1/email-change-requests/${requestId}/approve` }),
  ],
  [
    'reject',
    true,
    200,
    ({ requestId }) => ({
      method: 'post',
      path: `/v1/email-change-requests/${requestId}/reject`,
      body: { reason: 'non' },
    }),
  ],
  ['cancel', true, 200, ({ requestId }) => ({ method: 'post', path: `/v1/email-change-requests/${requestId}/cancel` })],
];

describeScopingMatrix({
  title: 'change-of-mail route',
  routes,
  context: cast,
  arrange: pendingRequest,
  stateOf: async ({ requestId }) =>
    (
      await cast()
        .test.http.get(`/v1/email-change-requests/${requestId}`)
        .set(bearer(cast().test.operatorKey))
        .expect(200)
    ).body.status,
  arrangedState: () => 'pending',
});

describe('the request list', () => {
  it("shows only the caller's structures and refuses another structure's filter", async () => {
    const { test, theirs, adminKey, readerKey, mine } = cast();
    const own = await pendingRequest(mine);
    const other = await pendingRequest(theirs);
    await test.http.get('/v1/email-change-requests').expect(401);
    for (const key of [adminKey, readerKey]) {
      const listed = await test.http.get('/v1/email-change-requests?limit=500').set(bearer(key)).expect(200);
      const ids = listed.body.items.map((item: { id: string }) => item.id);
      expect(ids).toContain(own.requestId);
      expect(ids).not.toContain(other.requestId);
      await test.http.get(`/v1/email-change-requests?structureId=${theirs}`).set(bearer(key)).expect(404);
    }
  });
});
