import { bearer } from '../../../test/harness';
import { createMailbox } from '../../../test/factories';
import { describeScopingMatrix, useScopingCast, type ScopedRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** A PER box with one delegate, and another login of the same structure free to add. */
async function owner(structureId: string) {
  const { test } = cast();
  const box = await createMailbox(test, structureId, 'PER');
  const delegate = await createMailbox(test, structureId, 'PER');
  const free = await createMailbox(test, structureId, 'INT');
  await test.http
    .post(`/v1/mailboxes/${box.id}/delegates`)
    .set(bearer(test.operatorKey))
    .send({ delegateMailboxId: delegate.id })
    .expect(201);
  return { box: box.id, delegate: delegate.id, free: free.id };
}
type Owner = Awaited<ReturnType<typeof owner>>;
const routes: ScopedRoute<Owner>[] = [
  ['GET', false, 200, (o) => ({ method: 'get', path: `/v1/mailboxes/${o.box}/delegates` })],
  [
    'POST',
    true,
    201,
    (o) => ({ method: 'post', path: `/v1/mailboxes/${o.box}/delegates`, body: { delegateMailboxId: o.free } }),
  ],
  ['DELETE', true, 204, (o) => ({ method: 'delete', path: `/v1/mailboxes/${o.box}/delegates/${o.delegate}` })],
];

describeScopingMatrix({
  title: '/v1/mailboxes/{id}/delegates',
  routes,
  context: cast,
  arrange: owner,
  stateOf: async (o) =>
    (
      await cast().test.http.get(`/v1/mailboxes/${o.box}/delegates`).set(bearer(cast().test.operatorKey))
    ).body.items.map((item: { delegateMailboxId: string }) => item.delegateMailboxId),
  arrangedState: (o) => [o.delegate],
});

it('answers 404 for a delegate path id of another structure', async () => {
  const { test, mine, theirs, adminKey } = cast();
  const o = await owner(mine);
  const elsewhere = await createMailbox(test, theirs, 'PER');
  await test.http.delete(`/v1/mailboxes/${o.box}/delegates/${elsewhere.id}`).set(bearer(adminKey)).expect(404);
});
