import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { assignCorrespondence, createMailbox, createScopingCast, uniqueLocalPart } from '../../../test/factories';

let test: TestApp;
let mine: string;
let theirs: string;
let adminKey: string;
let readerKey: string;
beforeAll(async () => {
  test = await createTestApp();
  ({ mine, theirs, adminKey, readerKey } = await createScopingCast(test));
});
afterAll(() => test.close());

type Call = (mailboxId: string) => { method: 'get' | 'put' | 'delete'; path: string; body?: object };
const routes: [string, boolean, Call][] = [
  ['GET', false, (id) => ({ method: 'get', path: `/v1/mailboxes/${id}/correspondence` })],
  ['PUT', true, (id) => ({ method: 'put', path: `/v1/mailboxes/${id}/correspondence`, body: { localPart: uniqueLocalPart() } })],
  ['DELETE', true, (id) => ({ method: 'delete', path: `/v1/mailboxes/${id}/correspondence` })],
];

function send(call: ReturnType<Call>, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  return call.body ? request.send(call.body) : request;
}

/** A box of `structureId` holding an address, so that a wrongly allowed write would show. */
async function boxWithAddress(structureId: string) {
  const box = await createMailbox(test, structureId, 'PER');
  const assigned = await assignCorrespondence(test, box.id, uniqueLocalPart());
  return { box, address: assigned.current.address };
}

describe.each(routes)('%s /v1/mailboxes/{id}/correspondence', (_name, writes, call) => {
  it('needs a key (401)', async () => {
    const { box } = await boxWithAddress(mine);
    await send(call(box.id)).expect(401);
  });

  it('hides another structure\'s box (404), a reader\'s write being refused by role first (403)', async () => {
    const { box, address } = await boxWithAddress(theirs);
    expect((await send(call(box.id), adminKey)).status).toBe(404);
    expect((await send(call(box.id), readerKey)).status).toBe(writes ? 403 : 404);
    const unchanged = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey));
    expect(unchanged.body.correspondence.address).toBe(address);
  });

  it(writes ? 'keeps a reader read-only (403)' : 'lets a reader read', async () => {
    const { box, address } = await boxWithAddress(mine);
    expect((await send(call(box.id), readerKey)).status).toBe(writes ? 403 : 200);
    const unchanged = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey));
    expect(unchanged.body.correspondence.address).toBe(address);
  });

  it('lets an admin of the structure through', async () => {
    const { box } = await boxWithAddress(mine);
    expect((await send(call(box.id), adminKey)).status).toBe(200);
  });
});
