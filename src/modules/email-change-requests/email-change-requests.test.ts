import { createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, emailChangeClient, uniqueEmail } from '../../../test/factories';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const { asOperator, requestChange, act, getMailbox, auditActions, pendingRequest } = emailChangeClient(
  () => test,
  () => structureId,
);

describe('creating a change-of-mail request', () => {
  it('records a pending request for the box, readable with its ETag and audited', async () => {
    const box = await createMailbox(test, structureId);
    const newEmail = uniqueEmail('nouvelle');
    const created = await requestChange(box.id, newEmail).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/email-change-requests/${created.body.id}`);
    expect(created.body).toMatchObject({
      mailboxId: box.id,
      structureId,
      currentEmail: box.email,
      newEmail,
      status: 'pending',
      requestedBy: expect.any(String),
      decidedBy: null,
      decidedAt: null,
      reason: null,
    });
    const read = await test.http.get(`/v1/email-change-requests/${created.body.id}`).set(asOperator()).expect(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.etag).toBe('"1"');
    expect((await getMailbox(box.id)).email).toBe(box.email);
    expect(await auditActions(`mailboxId=${box.id}`)).toEqual(['email_change_request.created', 'mailbox.created']);
  });

  it.each([
    ['the current address', (current: string) => current, 422, 'BUSINESS_RULE_VIOLATED', 'EMAIL_UNCHANGED'],
    [
      'the current address in capitals',
      (current: string) => current.toUpperCase(),
      422,
      'BUSINESS_RULE_VIOLATED',
      'EMAIL_UNCHANGED',
    ],
    [
      'an address with a numeric top-level domain',
      () => 'jean@hopital.123',
      422,
      'BUSINESS_RULE_VIOLATED',
      'EMAIL_INVALID',
    ],
    ['something that is no e-mail', () => 'not-an-email', 400, 'VALIDATION_FAILED', undefined],
  ])('refuses %s', async (_name, newEmailOf, status, code, detailCode) => {
    const box = await createMailbox(test, structureId);
    const refused = await requestChange(box.id, newEmailOf(box.email)).expect(status);
    expect(refused.body.code).toBe(code);
    if (detailCode)
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'newEmail', code: detailCode })]);
  });

  it('refuses an address held by another box, whatever its case or structure (409)', async () => {
    const holder = await createMailbox(test, (await createStructure(test)).id);
    const box = await createMailbox(test, structureId);
    const refused = await requestChange(box.id, holder.email.toUpperCase()).expect(409);
    expect(refused.body).toMatchObject({
      code: 'EMAIL_TAKEN',
      errors: [expect.objectContaining({ field: 'newEmail' })],
    });
  });

  it('accepts the address of a deleted box, which no longer holds it', async () => {
    const deleted = await createMailbox(test, structureId);
    await test.http.delete(`/v1/mailboxes/${deleted.id}`).set(asOperator()).expect(200);
    const box = await createMailbox(test, structureId);
    await requestChange(box.id, deleted.email).expect(201);
  });

  it('refuses an address another pending request asks for, until that request is closed', async () => {
    const { request } = await pendingRequest();
    const other = await createMailbox(test, structureId);
    const refused = await requestChange(other.id, request.newEmail.toUpperCase()).expect(409);
    expect(refused.body.code).toBe('EMAIL_TAKEN');
    await act(request.id, 'reject').expect(200);
    await requestChange(other.id, request.newEmail).expect(201);
  });

  it('allows one pending request per box (409 naming it), another once it is decided', async () => {
    const { box, request } = await pendingRequest();
    const refused = await requestChange(box.id, uniqueEmail()).expect(409);
    expect(refused.body).toMatchObject({ code: 'EMAIL_CHANGE_PENDING', pendingRequestId: request.id });
    await act(request.id, 'cancel').expect(200);
    await requestChange(box.id, uniqueEmail()).expect(201);
  });

  it('refuses a deleted box (409) and an unknown one (404)', async () => {
    const box = await createMailbox(test, structureId);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const refused = await requestChange(box.id, uniqueEmail()).expect(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'deleted' });
    await requestChange('00000000-0000-4000-8000-000000000000', uniqueEmail()).expect(404);
  });
});

describe('the state machine', () => {
  it.each([
    ['approve', 'approve', 'approved'],
    ['approve', 'reject', 'approved'],
    ['approve', 'cancel', 'approved'],
    ['reject', 'approve', 'rejected'],
    ['reject', 'reject', 'rejected'],
    ['reject', 'cancel', 'rejected'],
    ['cancel', 'approve', 'cancelled'],
    ['cancel', 'cancel', 'cancelled'],
    ['cancel', 'reject', 'cancelled'],
  ] as const)('after %s, refuses %s with 409 and currentStatus %s', async (first, second, status) => {
    const { request } = await pendingRequest();
    await act(request.id, first).expect(200, new RegExp(`"status":"${status}"`));
    const refused = await act(request.id, second).expect(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: status, action: second });
    expect(await auditActions(`targetId=${request.id}`)).toEqual([
      `email_change_request.${status}`,
      'email_change_request.created',
    ]);
  });

  it('keeps the box untouched on reject and cancel, and records the reason given', async () => {
    const { box, request } = await pendingRequest();
    const rejected = await act(request.id, 'reject', { reason: 'Adresse personnelle' }).expect(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reason: 'Adresse personnelle',
      decidedAt: expect.any(String),
    });
    expect(await getMailbox(box.id)).toMatchObject({ email: box.email });
    await act(request.id, 'reject', { reason: '' }).expect(400);
  });
});

describe('listing and counting requests', () => {
  it('filters by structure, status and mailbox, newest first, a page at a time', async () => {
    const own = (await createStructure(test)).id;
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const box = await createMailbox(test, own);
      ids.push((await requestChange(box.id, uniqueEmail()).expect(201)).body.id);
    }
    await act(ids[0]!, 'reject').expect(200);
    const first = await test.http
      .get(`/v1/email-change-requests?structureId=${own}&status=pending&limit=1`)
      .set(asOperator())
      .expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await test.http
      .get(`/v1/email-change-requests?structureId=${own}&status=pending&limit=1&cursor=${first.body.nextCursor}`)
      .set(asOperator())
      .expect(200);
    expect(second.body.nextCursor).toBeNull();
    expect([first.body.items[0].id, second.body.items[0].id].sort()).toEqual([ids[1], ids[2]].sort());
    const rejected = await test.http
      .get(`/v1/email-change-requests?structureId=${own}&status=rejected`)
      .set(asOperator());
    expect(rejected.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    await test.http.get('/v1/email-change-requests?cursor=nonsense').set(asOperator()).expect(400);
  });

  it('counts pending requests in /v1/mailboxes/counts until they are decided', async () => {
    const own = (await createStructure(test)).id;
    const countOf = async () =>
      (await test.http.get(`/v1/mailboxes/counts?structureId=${own}`).set(asOperator()).expect(200)).body
        .emailChangeRequests;
    expect(await countOf()).toBe(0);
    const first = (await requestChange((await createMailbox(test, own)).id, uniqueEmail()).expect(201)).body.id;
    const second = (await requestChange((await createMailbox(test, own)).id, uniqueEmail()).expect(201)).body.id;
    expect(await countOf()).toBe(2);
    await act(first, 'approve').expect(200);
    expect(await countOf()).toBe(1);
    await act(second, 'cancel').expect(200);
    expect(await countOf()).toBe(0);
  });

  it("moves a box's requests with it when it is transferred", async () => {
    const target = (await createStructure(test)).id;
    const { box, request } = await pendingRequest();
    await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(asOperator())
      .send({ structureId: target })
      .expect(200);
    const listed = await test.http.get(`/v1/email-change-requests?structureId=${target}`).set(asOperator());
    expect(listed.body.items).toEqual([expect.objectContaining({ id: request.id, structureId: target })]);
    const source = await test.http
      .get(`/v1/email-change-requests?structureId=${structureId}&mailboxId=${box.id}`)
      .set(asOperator());
    expect(source.body.items).toEqual([]);
  });
});
