import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, mailboxBody, uniqueEmail, validRpps } from '../../../test/factories';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const post = (body: Record<string, unknown>) =>
  test.http.post('/v1/mailboxes').set(bearer(test.operatorKey)).send(body);

describe('creating mailboxes', () => {
  it.each(['PER', 'MED', 'INT', 'ORG', 'APP'] as const)(
    'creates a %s box, pre-registered and unlisted, and audits it',
    async (type) => {
      const body = mailboxBody(structureId, type);
      const response = await post(body).expect(201);
      expect(response.body).toMatchObject({
        structureId,
        type,
        email: body.email,
        status: 'preregistered',
        directoryVisible: false,
        directoryVisibility: 'default',
        correspondence: null,
        isTest: false,
      });
      expect(response.headers.etag).toBe('"1"');
      const events = await test.http
        .get(`/v1/audit-events?mailboxId=${response.body.id}`)
        .set(bearer(test.operatorKey));
      expect(events.body.items).toEqual([
        expect.objectContaining({
          action: 'mailbox.created',
          after: expect.objectContaining({ id: response.body.id }),
        }),
      ]);
    },
  );

  it.each([
    ['a PER box without RPPS nor ADELI', { type: 'PER', rpps: null }, 'rpps', 'NATIONAL_ID_REQUIRED'],
    ['an RPPS failing its key', { type: 'PER', rpps: '10000013995' }, 'rpps', 'RPPS_KEY'],
    ['an RPPS of 10 digits', { type: 'PER', rpps: '1000001399' }, 'rpps', 'RPPS_FORMAT'],
    ['an ADELI of 8 digits', { type: 'PER', rpps: null, adeli: '12345678' }, 'adeli', 'ADELI_FORMAT'],
    [
      'a responsible on a PER box',
      { type: 'PER', responsible: { lastName: 'M', firstName: 'C' } },
      'responsible',
      'RESPONSIBLE_FORBIDDEN',
    ],
    ['a description on an INT box', { type: 'INT', description: 'mine' }, 'description', 'DESCRIPTION_FORBIDDEN'],
    ['an RPPS on an ORG box', { type: 'ORG', rpps: validRpps() }, 'rpps', 'NATIONAL_ID_FORBIDDEN'],
    [
      'a responsible RPPS failing its key',
      { type: 'APP', responsible: { lastName: 'M', firstName: 'C', rpps: '10000013995' } },
      'responsible.rpps',
      'RPPS_KEY',
    ],
    ['a profession outside TRE_G15', { type: 'PER', profession: '99' }, 'profession', 'PROFESSION_UNKNOWN'],
  ])('refuses %s with 422 naming the field', async (_label, overrides, field, code) => {
    const { type, ...rest } = overrides as { type: 'PER' };
    const response = await post(mailboxBody(structureId, type, rest)).expect(422);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it.each([
    ['a PER box with an ADELI only', 'PER', { rpps: null, adeli: '123456789' }],
    ['an RPPS failing its key on a test account', 'PER', { rpps: '10003456789', isTest: true }],
    ['a MED box without identifier', 'MED', {}],
    ['an INT box without RPPS, with an expiry date', 'INT', { expiresAt: '2027-06-30' }],
    ['an ORG box still without responsible (the report flags it)', 'ORG', { responsible: null, description: null }],
  ] as const)('accepts %s', async (_label, type, overrides) => {
    await post(mailboxBody(structureId, type, overrides)).expect(201);
  });

  it('refuses an unknown structure with 404, a malformed e-mail or date with 400', async () => {
    await post(mailboxBody('00000000-0000-4000-8000-000000000000')).expect(404);
    const bad = await post(mailboxBody(structureId, 'PER', { email: 'not-an-email' })).expect(400);
    expect(bad.body.errors[0].field).toBe('email');
    const impossibleDate = await post(mailboxBody(structureId, 'INT', { expiresAt: '2026-02-30' })).expect(400);
    expect(impossibleDate.body.errors[0].field).toBe('expiresAt');
  });

  it('keeps the reference e-mail unique across the operator, case-insensitively', async () => {
    const email = uniqueEmail('unique');
    await createMailbox(test, structureId, 'PER', { email });
    const other = await createStructure(test);
    const clash = await post(mailboxBody(other.id, 'MED', { email: email.toUpperCase() })).expect(409);
    expect(clash.body).toMatchObject({ code: 'EMAIL_TAKEN', errors: [{ field: 'email', code: 'EMAIL_TAKEN' }] });
  });

  it('gives exactly one 201 and nineteen 409s to 20 concurrent creates of one e-mail', async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        post(mailboxBody(structureId, 'PER', { email, lastName: `Racer ${index}` })),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const listed = await test.http.get(`/v1/mailboxes?q=${encodeURIComponent(email)}`).set(bearer(test.operatorKey));
    expect(listed.body.items).toHaveLength(1);
  });

  it('replays a create retried with the same Idempotency-Key', async () => {
    const body = mailboxBody(structureId, 'PER');
    const first = await post(body).set('Idempotency-Key', 'create-mailbox-1').expect(201);
    const retry = await test.http
      .post('/v1/mailboxes')
      .set(bearer(test.operatorKey))
      .set('Idempotency-Key', 'create-mailbox-1')
      .send(body)
      .expect(201);
    expect(retry.body.id).toBe(first.body.id);
    await test.http
      .post('/v1/mailboxes')
      .set(bearer(test.operatorKey))
      .set('Idempotency-Key', 'create-mailbox-1')
      .send({ ...body, lastName: 'Other' })
      .expect(422);
  });
});

describe('changing mailboxes', () => {
  it('updates fields under If-Match, re-checking the rules on the result, and audits before/after', async () => {
    const box = await createMailbox(test, structureId, 'PER');
    const updated = await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(bearer(test.operatorKey))
      .set('If-Match', '"1"')
      .send({ service: 'Cardiologie', phone: '+33 4 91 00 00 00', expiresAt: '2027-01-31' })
      .expect(200);
    expect(updated.body).toMatchObject({ service: 'Cardiologie', phone: '+33 4 91 00 00 00', expiresAt: '2027-01-31' });
    expect(updated.headers.etag).toBe('"2"');
    await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(bearer(test.operatorKey))
      .set('If-Match', '"1"')
      .send({ service: 'X' })
      .expect(412);
    const refused = await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(bearer(test.operatorKey))
      .send({ rpps: null })
      .expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'rpps', code: 'NATIONAL_ID_REQUIRED' });
    const events = await test.http
      .get(`/v1/audit-events?mailboxId=${box.id}&action=mailbox.updated`)
      .set(bearer(test.operatorKey));
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0].before.service).toBeNull();
    expect(events.body.items[0].after.service).toBe('Cardiologie');
  });

  it('serves a box with its ETag', async () => {
    const box = await createMailbox(test, structureId, 'APP');
    const read = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(read.body).toMatchObject({
      id: box.id,
      type: 'APP',
      responsible: expect.objectContaining({ lastName: 'Martin' }),
    });
    expect(read.headers.etag).toBe('"1"');
  });
});
