import { bearer } from '../../../test/harness';
import { createMailbox } from '../../../test/factories';
import { describeScopingMatrix, useScopingCast, type ScopedRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** A login that opens one ORG box, without notification. */
async function login(structureId: string) {
  const { test } = cast();
  const shared = await createMailbox(test, structureId, 'ORG');
  const account = await createMailbox(test, structureId, 'PER');
  await test.http
    .post(`/v1/mailboxes/${shared.id}/connection-accounts`)
    .set(bearer(test.operatorKey))
    .send({ mailboxId: account.id })
    .expect(201);
  return { shared: shared.id, account: account.id };
}
type Login = Awaited<ReturnType<typeof login>>;
const routes: ScopedRoute<Login>[] = [
  ['GET', false, 200, (box) => ({ method: 'get', path: `/v1/mailboxes/${box.account}/accessible-mailboxes` })],
  [
    'PATCH',
    true,
    200,
    (box) => ({
      method: 'patch',
      path: `/v1/mailboxes/${box.account}/accessible-mailboxes/${box.shared}`,
      body: { isDefault: true, notifyOnReceipt: true },
    }),
  ],
];

describeScopingMatrix({
  title: '/v1/mailboxes/{id}/accessible-mailboxes',
  routes,
  context: cast,
  arrange: login,
  stateOf: async (box) =>
    (
      await cast()
        .test.http.get(`/v1/mailboxes/${box.account}/accessible-mailboxes`)
        .set(bearer(cast().test.operatorKey))
    ).body.items.map((item: { mailboxId: string; isDefault: boolean; notifyOnReceipt: boolean }) => [
      item.mailboxId,
      item.isDefault,
      item.notifyOnReceipt,
    ]),
  arrangedState: (box) => [[box.shared, false, false]],
});

it('answers 404 for a shared box of another structure in the path', async () => {
  const { test, mine, theirs, adminKey } = cast();
  const box = await login(mine);
  const elsewhere = await createMailbox(test, theirs, 'ORG');
  await test.http
    .patch(`/v1/mailboxes/${box.account}/accessible-mailboxes/${elsewhere.id}`)
    .set(bearer(adminKey))
    .send({ isDefault: true })
    .expect(404);
});
