import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, mailboxBody } from '../../../test/factories';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const act = (id: string, action: string) => test.http.post(`/v1/mailboxes/${id}/${action}`).set(asOperator());

async function register(overrides: Record<string, unknown> = {}) {
  const response = await test.http
    .post('/v1/registrations')
    .send(mailboxBody(structureId, 'PER', overrides))
    .expect(201);
  return response.body as { id: string; status: string };
}

async function invitationToken(mailboxId: string): Promise<string> {
  const outbox = await test.http
    .get(`/v1/notifications?mailboxId=${mailboxId}&kind=invitation`)
    .set(asOperator())
    .expect(200);
  const match = /^ {4}(\S+)$/m.exec(outbox.body.items[0].body as string);
  return match![1]!;
}

describe('mailbox statuses', () => {
  it('lands a self sign-up as pending, audited as a registration, then validates it', async () => {
    const box = await register();
    expect(box.status).toBe('pending');
    const validated = await act(box.id, 'validate').expect(200);
    expect(validated.body).toMatchObject({ status: 'valid', directoryVisible: true });
    const events = await test.http.get(`/v1/audit-events?mailboxId=${box.id}`).set(asOperator());
    expect(
      events.body.items.map((event: { action: string; actor: { type: string } }) => [event.action, event.actor.type]),
    ).toEqual([
      ['mailbox.validated', 'api_key'],
      ['mailbox.registered', 'registration'],
    ]);
  });

  it('rejects a pending sign-up, and refuses to validate it afterwards with the current status', async () => {
    const box = await register();
    await act(box.id, 'reject').expect(200);
    const refused = await act(box.id, 'validate').expect(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'rejected', action: 'validate' });
  });

  it.each([
    ['validate', 'preregistered'],
    ['reject', 'preregistered'],
    ['reactivate', 'preregistered'],
  ])('refuses %s on a %s box (409)', async (action, status) => {
    const box = await createMailbox(test, structureId);
    const refused = await act(box.id, action).expect(409);
    expect(refused.body.currentStatus).toBe(status);
  });

  it('deactivates and reactivates back to the former status', async () => {
    const pending = await register();
    await act(pending.id, 'deactivate').expect(200, /"status":"deactivated"/);
    await act(pending.id, 'deactivate').expect(409);
    const back = await act(pending.id, 'reactivate').expect(200);
    expect(back.body.status).toBe('pending');

    const preregistered = await createMailbox(test, structureId);
    await act(preregistered.id, 'deactivate').expect(200);
    expect((await act(preregistered.id, 'reactivate').expect(200)).body.status).toBe('preregistered');
  });

  it('deletes softly: hidden from lists unless asked, refused twice, frozen for edits, and frees the e-mail', async () => {
    const box = await createMailbox(test, structureId);
    const deleted = await test.http
      .delete(`/v1/mailboxes/${box.id}`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .expect(200);
    expect(deleted.body.status).toBe('deleted');
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(409);
    await test.http.patch(`/v1/mailboxes/${box.id}`).set(asOperator()).send({ service: 'X' }).expect(409);
    await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const active = await test.http.get(`/v1/mailboxes?structureId=${structureId}&limit=500`).set(asOperator());
    expect(active.body.items.map((item: { id: string }) => item.id)).not.toContain(box.id);
    const listedDeleted = await test.http
      .get(`/v1/mailboxes?structureId=${structureId}&status=deleted`)
      .set(asOperator());
    expect(listedDeleted.body.items.map((item: { id: string }) => item.id)).toContain(box.id);
    await createMailbox(test, structureId, 'PER', { email: box.email });
  });

  it('finishes a pre-registration with the invitation token: valid, listed, token spent', async () => {
    const body = mailboxBody(structureId, 'PER', { notify: true });
    const created = await test.http.post('/v1/mailboxes').set(asOperator()).send(body).expect(201);
    const token = await invitationToken(created.body.id);
    const completed = await test.http
      .post('/v1/registrations/complete')
      .send({ token, phone: '0491000000' })
      .expect(200);
    expect(completed.body).toMatchObject({ status: 'valid', directoryVisible: true, phone: '0491000000' });
    await test.http.post('/v1/registrations/complete').send({ token }).expect(404);
    await test.http
      .post('/v1/registrations/complete')
      .send({ token: 'x'.repeat(43) })
      .expect(404);
  });

  it('keeps an explicit directory visibility over the default', async () => {
    const visible = await createMailbox(test, structureId, 'PER', { directoryVisible: true });
    const read = await test.http.get(`/v1/mailboxes/${visible.id}`).set(asOperator());
    expect(read.body).toMatchObject({
      status: 'preregistered',
      directoryVisible: true,
      directoryVisibility: 'explicit',
    });

    const hidden = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'PER', { directoryVisible: false, notify: true }))
      .expect(201);
    const completed = await test.http
      .post('/v1/registrations/complete')
      .send({ token: await invitationToken(hidden.body.id) })
      .expect(200);
    expect(completed.body).toMatchObject({ status: 'valid', directoryVisible: false });
    const reset = await test.http
      .patch(`/v1/mailboxes/${hidden.body.id}`)
      .set(asOperator())
      .send({ directoryVisible: null })
      .expect(200);
    expect(reset.body).toMatchObject({ directoryVisible: true, directoryVisibility: 'default' });
  });

  it('does not let a self sign-up take an e-mail in use', async () => {
    const box = await createMailbox(test, structureId);
    await test.http
      .post('/v1/registrations')
      .send(mailboxBody(structureId, 'PER', { email: box.email }))
      .expect(409);
  });
});
