import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createScopingCast } from '../../../test/factories';

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

/** An ORG box with one account, and another login of the same structure free to add. */
async function sharedBox(structureId: string) {
  const shared = await createMailbox(test, structureId, 'ORG');
  const linked = await createMailbox(test, structureId, 'PER');
  const free = await createMailbox(test, structureId, 'MED');
  await test.http.post(`/v1/mailboxes/${shared.id}/connection-accounts`).set(bearer(test.operatorKey)).send({ mailboxId: linked.id }).expect(201);
  return { shared: shared.id, linked: linked.id, free: free.id };
}
type Box = Awaited<ReturnType<typeof sharedBox>>;
type Call = (box: Box) => { method: 'get' | 'put' | 'post' | 'delete'; path: string; body?: object };

const routes: [string, boolean, number, Call][] = [
  ['GET', false, 200, (box) => ({ method: 'get', path: `/v1/mailboxes/${box.shared}/connection-accounts` })],
  ['PUT', true, 200, (box) => ({ method: 'put', path: `/v1/mailboxes/${box.shared}/connection-accounts`, body: { items: [{ mailboxId: box.free }] } })],
  ['POST', true, 201, (box) => ({ method: 'post', path: `/v1/mailboxes/${box.shared}/connection-accounts`, body: { mailboxId: box.free } })],
  ['DELETE', true, 204, (box) => ({ method: 'delete', path: `/v1/mailboxes/${box.shared}/connection-accounts/${box.linked}` })],
];

function send(call: ReturnType<Call>, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  return call.body ? request.send(call.body) : request;
}

const accountsOf = async (box: Box) =>
  (await test.http.get(`/v1/mailboxes/${box.shared}/connection-accounts`).set(bearer(test.operatorKey))).body.items.map(
    (item: { mailboxId: string }) => item.mailboxId,
  );

describe.each(routes)('%s /v1/mailboxes/{id}/connection-accounts', (_name, writes, success, call) => {
  it('needs a key (401)', async () => {
    await send(call(await sharedBox(mine))).expect(401);
  });

  it('hides another structure\'s box (404), a reader\'s write being refused by role first (403)', async () => {
    const box = await sharedBox(theirs);
    expect((await send(call(box), adminKey)).status).toBe(404);
    expect((await send(call(box), readerKey)).status).toBe(writes ? 403 : 404);
    expect(await accountsOf(box)).toEqual([box.linked]);
  });

  it(writes ? 'keeps a reader read-only (403)' : 'lets a reader read', async () => {
    const box = await sharedBox(mine);
    expect((await send(call(box), readerKey)).status).toBe(writes ? 403 : 200);
    expect(await accountsOf(box)).toEqual([box.linked]);
  });

  it('lets an admin of the structure through', async () => {
    expect((await send(call(await sharedBox(mine)), adminKey)).status).toBe(success);
  });
});

it('answers 404 for an account path id of another structure', async () => {
  const box = await sharedBox(mine);
  const elsewhere = await createMailbox(test, theirs, 'PER');
  await test.http.delete(`/v1/mailboxes/${box.shared}/connection-accounts/${elsewhere.id}`).set(bearer(adminKey)).expect(404);
});
