import { bearer } from '../../../test/harness';
import { createMailbox, mailboxBody } from '../../../test/factories';
import { describeScopingMatrix, useScopingCast, type ScopedRoute } from '../../../test/scoping-matrix';

const cast = useScopingCast();

/** A preregistered box of `structureId`; a transfer asks to move it to the caller's structure. */
async function box(structureId: string) {
  const created = await createMailbox(cast().test, structureId);
  return { id: created.id, structureId, target: cast().mine };
}
type Box = Awaited<ReturnType<typeof box>>;

/**
 * Every route on one mailbox, whether it writes, and what an admin of its structure gets on a
 * fresh (preregistered) box: a 409 or 422 from the box's rules also says scoping and role let it through.
 */
const routes: ScopedRoute<Box>[] = [
  ['get', false, 200, ({ id }) => ({ method: 'get', path: `/v1/mailboxes/${id}` })],
  ['update', true, 200, ({ id }) => ({ method: 'patch', path: `/v1/mailboxes/${id}`, body: { service: 'X' } })],
  ['delete', true, 200, ({ id }) => ({ method: 'delete', path: `/v1/mailboxes/${id}` })],
  ['deactivate', true, 200, ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/deactivate` })],
  ['reactivate', true, 409, ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/reactivate` })],
  ['validate', true, 409, ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/validate` })],
  ['reject', true, 409, ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/reject` })],
  [
    'type-change',
    true,
    200,
    ({ id }) => ({ method: 'post', path: `/v1/mailboxes/${id}/type-change`, body: { type: 'MED', rpps: null } }),
  ],
  // Into the structure it is already in: refused by the transfer's rule, past scoping.
  [
    'transfer',
    true,
    422,
    ({ id, target }) => ({ method: 'post', path: `/v1/mailboxes/${id}/transfer`, body: { structureId: target } }),
  ],
];

describeScopingMatrix({
  title: 'mailbox route',
  routes,
  context: cast,
  arrange: box,
  stateOf: async ({ id }) => {
    const { body } = await cast().test.http.get(`/v1/mailboxes/${id}`).set(bearer(cast().test.operatorKey));
    return { structureId: body.structureId, status: body.status, service: body.service };
  },
  arrangedState: ({ structureId }) => ({ structureId, status: 'preregistered', service: null }),
});

describe('mailbox collections', () => {
  it("lists only the caller's boxes and refuses another structure's filter", async () => {
    const { test, mine, theirs, adminKey } = cast();
    const own = await createMailbox(test, mine);
    const other = await createMailbox(test, theirs);
    const listed = await test.http.get('/v1/mailboxes?limit=500').set(bearer(adminKey)).expect(200);
    const ids = listed.body.items.map((item: { id: string }) => item.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(other.id);
    await test.http.get(`/v1/mailboxes?structureId=${theirs}`).set(bearer(adminKey)).expect(404);
  });

  it('lets an admin create boxes in its structures only, and a reader none', async () => {
    const { test, mine, theirs, adminKey, readerKey } = cast();
    await test.http.post('/v1/mailboxes').set(bearer(adminKey)).send(mailboxBody(mine)).expect(201);
    await test.http.post('/v1/mailboxes').set(bearer(adminKey)).send(mailboxBody(theirs)).expect(404);
    await test.http.post('/v1/mailboxes').set(bearer(readerKey)).send(mailboxBody(mine)).expect(403);
  });

  it("shows another structure's notifications to nobody else", async () => {
    const { test, theirs, adminKey } = cast();
    const box = await test.http
      .post('/v1/mailboxes')
      .set(bearer(test.operatorKey))
      .send(mailboxBody(theirs, 'PER', { notify: true }))
      .expect(201);
    const listed = await test.http.get('/v1/notifications?limit=500').set(bearer(adminKey)).expect(200);
    expect(listed.body.items.map((item: { mailboxId: string }) => item.mailboxId)).not.toContain(box.body.id);
    await test.http.get(`/v1/notifications?structureId=${theirs}`).set(bearer(adminKey)).expect(404);
  });
});
