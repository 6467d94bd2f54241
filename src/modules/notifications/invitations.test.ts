import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createMailbox,
  createStructure,
  importRows,
  loaduserCsv,
  mailboxBody,
  runImport,
  validRpps,
} from '../../../test/factories';

/**
 * Invitations and reminders reach MED, PER and INT boxes only (the deck: "les inviter à finaliser
 * leur inscription pour les comptes MED, PER et INT"): an ORG or APP reference address has no
 * person behind it to complete a registration. Every door that invites is checked here.
 */
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
async function messagesTo(mailboxId: string) {
  const response = await test.http
    .get(`/v1/notifications?mailboxId=${mailboxId}&limit=50`)
    .set(asOperator())
    .expect(200);
  return (response.body.items as { kind: string; recipient: string }[]).map((message) => message.kind);
}

describe('POST /v1/mailboxes with notify', () => {
  it.each(['ORG', 'APP'] as const)('refuses to invite an %s box, naming notify, and creates nothing', async (type) => {
    const { id: structureId } = await createStructure(test);
    const body = mailboxBody(structureId, type, { notify: true });
    const refused = await test.http.post('/v1/mailboxes').set(asOperator()).send(body).expect(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'notify', code: 'INVITATION_NOT_FOR_TYPE' }),
    ]);
    const list = await test.http.get(`/v1/mailboxes?structureId=${structureId}`).set(asOperator()).expect(200);
    expect(list.body.items).toEqual([]);
    // The same box without notify is created as usual.
    await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send({ ...body, notify: false })
      .expect(201);
  });

  it.each(['PER', 'MED', 'INT'] as const)('invites a %s box', async (type) => {
    const { id: structureId } = await createStructure(test);
    const created = await createMailbox(test, structureId, type, { notify: true });
    expect(await messagesTo(created.id)).toEqual(['invitation']);
  });
});

describe('an import with notify', () => {
  const email = (name: string) => `${name}.${Date.now()}@invitations.example.fr`;
  const rows = (): Record<string, string>[] => [
    { A: email('per'), B: 'Dupont', C: 'Jean', D: validRpps(), M: '10', S: 'PER' },
    { A: email('med'), B: 'Martin', C: 'Carole', S: 'MED' },
    { A: email('int'), B: 'Durand', C: 'Paul', S: 'INT' },
    { A: email('secretariat.cardio'), B: 'Secrétariat', C: 'Cardiologie', S: 'ORG' },
    { A: email('noreply.labo'), B: 'Résultats', C: 'Laboratoire', S: 'APP' },
  ];

  it('invites the created MED, PER and INT boxes, creates ORG and APP ones without invitation, and counts both', async () => {
    const { id: structureId } = await createStructure(test);
    const done = await runImport(test, structureId, loaduserCsv(rows()), { notify: 'true' });
    expect(done).toMatchObject({
      status: 'succeeded',
      counts: { created: 5, failed: 0 },
      invitations: { queued: 3, skipped: 2 },
    });
    const results = await importRows(test, done.id);
    const kinds = await Promise.all(results.map((row) => messagesTo(row.mailboxId!)));
    expect(kinds).toEqual([['invitation'], ['invitation'], ['invitation'], [], []]);
  });

  it('tells on a dry run what it would queue and skip, sending nothing', async () => {
    const { id: structureId } = await createStructure(test);
    const done = await runImport(test, structureId, loaduserCsv(rows()), { notify: 'true', dryRun: 'true' });
    expect(done).toMatchObject({ status: 'succeeded', invitations: { queued: 3, skipped: 2 } });
    const outbox = await test.http.get(`/v1/notifications?structureId=${structureId}`).set(asOperator()).expect(200);
    expect(outbox.body.items).toEqual([]);
  });

  it('invites nobody and counts nothing without notify', async () => {
    const { id: structureId } = await createStructure(test);
    const done = await runImport(test, structureId, loaduserCsv(rows()));
    expect(done).toMatchObject({ counts: { created: 5 }, invitations: { queued: 0, skipped: 0 } });
  });
});

describe('reminders', () => {
  it('remind the pre-registered MED, PER and INT boxes and never an ORG or APP one', async () => {
    const { id: structureId } = await createStructure(test);
    const boxes = await Promise.all(
      (['PER', 'MED', 'INT', 'ORG', 'APP'] as const).map((type) => createMailbox(test, structureId, type)),
    );
    const sent = await test.http.post(`/v1/structures/${structureId}/reminders`).set(asOperator()).expect(201);
    expect(sent.body.sent).toBe(3);
    const kinds = await Promise.all(boxes.map((box) => messagesTo(box.id)));
    expect(kinds).toEqual([['reminder'], ['reminder'], ['reminder'], [], []]);
  });
});
