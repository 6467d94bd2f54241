import { bearer } from '../../../test/harness';
import { assignCorrespondence, createMailbox, uniqueLocalPart } from '../../../test/factories';
import { describeScopingMatrix, useScopingCast, type ScopedRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** A box of `structureId` holding an address, so that a wrongly allowed write would show. */
async function boxWithAddress(structureId: string) {
  const { test } = cast();
  const box = await createMailbox(test, structureId, 'PER');
  const assigned = await assignCorrespondence(test, box.id, uniqueLocalPart());
  return { box, address: assigned.current.address };
}
type Box = Awaited<ReturnType<typeof boxWithAddress>>;

const routes: ScopedRoute<Box>[] = [
  ['GET', false, 200, ({ box }) => ({ method: 'get', path: `/v1/mailboxes/${box.id}/correspondence` })],
  [
    'PUT',
    true,
    200,
    ({ box }) => ({
      method: 'put',
      path: `/v1/mailboxes/${box.id}/correspondence`,
      body: { localPart: uniqueLocalPart() },
    }),
  ],
  ['DELETE', true, 200, ({ box }) => ({ method: 'delete', path: `/v1/mailboxes/${box.id}/correspondence` })],
];

describeScopingMatrix({
  title: '/v1/mailboxes/{id}/correspondence',
  routes,
  context: cast,
  arrange: boxWithAddress,
  stateOf: async ({ box }) =>
    (await cast().test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(cast().test.operatorKey))).body.correspondence
      .address,
  arrangedState: ({ address }) => address,
});
