import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createScopingCast, mailboxBody } from '../../../test/factories';

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

type Call = (mailboxId: string, structureId: string) => { method: 'get' | 'post' | 'patch' | 'delete'; path: string; body?: object };

/** Every route on one mailbox, and whether it writes. */
const routes: [string, boolean, Call][] = [
  ['get', false, (id) => ({ method: 'get', path: `/v1/mailboxes/${id}` })],
  ['update', true, (id) => ({ method: 'patch', path: `/v1/mailboxes/${id}`, body: { service: 'X' } })],
  ['delete', true, (id) => ({ method: 'delete', path: `/v1/mailboxes/${id}` })],
  ['deactivate', true, (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/deactivate` })],
  ['reactivate', true, (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/reactivate` })],
  ['validate', true, (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/validate` })],
  ['reject', true, (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/reject` })],
  ['type-change', true, (id) => ({ method: 'post', path: `/v1/mailboxes/${id}/type-change`, body: { type: 'MED' } })],
  ['transfer', true, (id, structureId) => ({ method: 'post', path: `/v1/mailboxes/${id}/transfer`, body: { structureId } })],
];

function send(call: ReturnType<Call>, key?: string) {
  const request = test.http[call.method](call.path);
  if (key) request.set(bearer(key));
  return call.body ? request.send(call.body) : request;
}

describe.each(routes)('mailbox route %s', (_name, writes, call) => {
  it('needs a key', async () => {
    const box = await createMailbox(test, mine);
    await send(call(box.id, theirs)).expect(401);
  });

  it('hides another structure\'s box (404); a reader\'s write is refused by role first (403, revealing nothing)', async () => {
    const box = await createMailbox(test, theirs);
    expect((await send(call(box.id, mine), adminKey)).status).toBe(404);
    expect((await send(call(box.id, mine), readerKey)).status).toBe(writes ? 403 : 404);
    const unchanged = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey));
    expect(unchanged.body).toMatchObject({ structureId: theirs, status: 'preregistered', service: null });
  });

  it(writes ? 'keeps a reader read-only (403)' : 'lets a reader read', async () => {
    const box = await createMailbox(test, mine);
    expect((await send(call(box.id, mine), readerKey)).status).toBe(writes ? 403 : 200);
  });
});

describe('mailbox collections', () => {
  it('lists only the caller\'s boxes and refuses another structure\'s filter', async () => {
    const own = await createMailbox(test, mine);
    const other = await createMailbox(test, theirs);
    const listed = await test.http.get('/v1/mailboxes?limit=500').set(bearer(adminKey)).expect(200);
    const ids = listed.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(other.id);
    await test.http.get(`/v1/mailboxes?structureId=${theirs}`).set(bearer(adminKey)).expect(404);
  });

  it('lets an admin create boxes in its structures only, and a reader none', async () => {
    await test.http.post('/v1/mailboxes').set(bearer(adminKey)).send(mailboxBody(mine)).expect(201);
    await test.http.post('/v1/mailboxes').set(bearer(adminKey)).send(mailboxBody(theirs)).expect(404);
    await test.http.post('/v1/mailboxes').set(bearer(readerKey)).send(mailboxBody(mine)).expect(403);
  });

  it('shows another structure\'s notifications to nobody else', async () => {
    const box = await test.http.post('/v1/mailboxes').set(bearer(test.operatorKey)).send(mailboxBody(theirs, 'PER', { notify: true })).expect(201);
    const listed = await test.http.get('/v1/notifications?limit=500').set(bearer(adminKey)).expect(200);
    expect(listed.body.items.map((item: { mailboxId: string }) => item.mailboxId)).not.toContain(box.body.id);
    await test.http.get(`/v1/notifications?structureId=${theirs}`).set(bearer(adminKey)).expect(404);
  });
});
