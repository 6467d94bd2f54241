import { bearer } from '../../../test/harness';
import { createMailbox } from '../../../test/factories';
import { describeScopingMatrix, useScopingCast, type ScopedRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** An ORG box with one account, and another login of the same structure free to add. */
async function sharedBox(structureId: string) {
  const { test } = cast();
  const shared = await createMailbox(test, structureId, 'ORG');
  const linked = await createMailbox(test, structureId, 'PER');
  const free = await createMailbox(test, structureId, 'MED');
  await test.http
    .post(`/v1/mailboxes/${shared.id}/connection-accounts`)
    .set(bearer(test.operatorKey))
    .send({ mailboxId: linked.id })
    .expect(201);
  return { shared: shared.id, linked: linked.id, free: free.id };
}
type Box = Awaited<ReturnType<typeof sharedBox>>;
const routes: ScopedRoute<Box>[] = [
  ['GET', false, 200, (box) => ({ method: 'get', path: `/v1/mailboxes/${box.shared}/connection-accounts` })],
  [
    'PUT',
    true,
    200,
    (box) => ({
      method: 'put',
      path: `/v1/mailboxes/${box.shared}/connection-accounts`,
      body: { items: [{ mailboxId: box.free }] },
    }),
  ],
  [
    'POST',
    true,
    201,
    (box) => ({
      method: 'post',
      path: `/v1/mailboxes/${box.shared}/connection-accounts`,
      body: { mailboxId: box.free },
    }),
  ],
  [
    'DELETE',
    true,
    204,
    (box) => ({ method: 'delete', path: `/v1/mailboxes/${box.shared}/connection-accounts/${box.linked}` }),
  ],
];

describeScopingMatrix({
  title: '/v1/mailboxes/{id}/connection-accounts',
  routes,
  context: cast,
  arrange: sharedBox,
  stateOf: async (box) =>
    (
      await cast().test.http.get(`/v1/mailboxes/${box.shared}/connection-accounts`).set(bearer(cast().test.operatorKey))
    ).body.items.map((item: { mailboxId: string }) => item.mailboxId),
  arrangedState: (box) => [box.linked],
});

it('answers 404 for an account path id of another structure', async () => {
  const { test, mine, theirs, adminKey } = cast();
  const box = await sharedBox(mine);
  const elsewhere = await createMailbox(test, theirs, 'PER');
  await test.http
    .delete(`/v1/mailboxes/${box.shared}/connection-accounts/${elsewhere.id}`)
    .set(bearer(adminKey))
    .expect(404);
});
