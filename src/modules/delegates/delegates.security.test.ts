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

/** A PER box with one delegate, and another login of the same structure free to add. */
async function owner(structureId: string) {
  const box = await createMailbox(test, structureId, 'PER');
  const delegate = await createMailbox(test, structureId, 'PER');
  const free = await createMailbox(test, structureId, 'INT');
  await test.http.post(`/v1/mailboxes/${box.id}/delegates`).set(bearer(test.operatorKey)).send({ delegateMailboxId: delegate.id }).expect(201);
  return { box: box.id, delegate: delegate.id, free: free.id };
}
type Owner = Awaited<ReturnType<typeof owner>>;
type Call = (owner: Owner) => { method: 'get' | 'post' | 'delete'; path: string; body?: object };

const routes: [string, boolean, number, Call][] = [
  ['GET', false, 200, (o) => ({ method: 'get', path: `/v1/mailboxes/${o.box}/delegates` })],
  ['POST', true, 201, (o) => ({ method: 'post', path: `/v1/mailboxes/${o.box}/delegates`, body: { delegateMailboxId: o.free } })],
  ['DELETE', true, 204, (o) => ({ method: 'delete', path: `/v1/mailboxes/${o.box}/delegates/${o.delegate}` })],
];

function send(call: ReturnType<Call>, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  return call.body ? request.send(call.body) : request;
}

const delegatesOf = async (o: Owner) =>
  (await test.http.get(`/v1/mailboxes/${o.box}/delegates`).set(bearer(test.operatorKey))).body.items.map(
    (item: { delegateMailboxId: string }) => item.delegateMailboxId,
  );

describe.each(routes)('%s /v1/mailboxes/{id}/delegates', (_name, writes, success, call) => {
  it('needs a key (401)', async () => {
    await send(call(await owner(mine))).expect(401);
  });

  it('hides another structure\'s box (404), a reader\'s write being refused by role first (403)', async () => {
    const o = await owner(theirs);
    expect((await send(call(o), adminKey)).status).toBe(404);
    expect((await send(call(o), readerKey)).status).toBe(writes ? 403 : 404);
    expect(await delegatesOf(o)).toEqual([o.delegate]);
  });

  it(writes ? 'keeps a reader read-only (403)' : 'lets a reader read', async () => {
    const o = await owner(mine);
    expect((await send(call(o), readerKey)).status).toBe(writes ? 403 : 200);
    expect(await delegatesOf(o)).toEqual([o.delegate]);
  });

  it('lets an admin of the structure through', async () => {
    expect((await send(call(await owner(mine)), adminKey)).status).toBe(success);
  });
});

it('answers 404 for a delegate path id of another structure', async () => {
  const o = await owner(mine);
  const elsewhere = await createMailbox(test, theirs, 'PER');
  await test.http.delete(`/v1/mailboxes/${o.box}/delegates/${elsewhere.id}`).set(bearer(adminKey)).expect(404);
});
