import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createScopingCast, uniqueEmail } from '../../../test/factories';

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

/** A box of the structure with a pending request, made by the operator. */
async function pendingRequest(structureId: string) {
  const box = await createMailbox(test, structureId);
  const response = await test.http
    .post(`/v1/mailboxes/${box.id}/email-change-requests`)
    .set(bearer(test.operatorKey))
    .send({ newEmail: uniqueEmail('new') })
    .expect(201);
  return { mailboxId: box.id, requestId: response.body.id as string };
}

type Call = (ids: { mailboxId: string; requestId: string }) => { method: 'get' | 'post'; path: string; body?: object };

const routes: [string, boolean, Call][] = [
  ['create', true, ({ mailboxId }) => ({ method: 'post', path: `/v1/mailboxes/${mailboxId}/email-change-requests`, body: { newEmail: uniqueEmail() } })],
  ['get', false, ({ requestId }) => ({ method: 'get', path: `/v1/email-change-requests/${requestId}` })],
  ['approve', true, ({ requestId }) => ({ method: 'post', path: `/v1/email-change-requests/${requestId}/approve` })],
  ['reject', true, ({ requestId }) => ({ method: 'post', path: `/v1/email-change-requests/${requestId}/reject`, body: { reason: 'non' } })],
  ['cancel', true, ({ requestId }) => ({ method: 'post', path: `/v1/email-change-requests/${requestId}/cancel` })],
];

function send(call: ReturnType<Call>, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  return call.body ? request.send(call.body) : request;
}

const statusOf = async (requestId: string) =>
  (await test.http.get(`/v1/email-change-requests/${requestId}`).set(bearer(test.operatorKey)).expect(200)).body.status;

describe.each(routes)('change-of-mail route %s', (name, writes, call) => {
  it('needs a key', async () => {
    const ids = await pendingRequest(mine);
    await send(call(ids)).expect(401);
  });

  it('hides another structure\'s requests (404); a reader\'s write is refused by role first (403)', async () => {
    const ids = await pendingRequest(theirs);
    expect((await send(call(ids), adminKey)).status).toBe(404);
    expect((await send(call(ids), readerKey)).status).toBe(writes ? 403 : 404);
    expect(await statusOf(ids.requestId)).toBe('pending');
  });

  it(writes ? 'keeps a reader read-only (403) and lets an admin act' : 'lets a reader and an admin read', async () => {
    const ids = await pendingRequest(mine);
    expect((await send(call(ids), readerKey)).status).toBe(writes ? 403 : 200);
    expect(await statusOf(ids.requestId)).toBe('pending');
    // The create route meets the box's pending request: the admin got past scoping and role.
    expect((await send(call(ids), adminKey)).status).toBe(name === 'create' ? 409 : 200);
  });
});

describe('the request list', () => {
  it('shows only the caller\'s structures and refuses another structure\'s filter', async () => {
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
