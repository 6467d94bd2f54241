import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createMailbox, createStructure, mailboxBody } from '../../../test/factories';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  // No SMTP_URL: messages are kept in the outbox, never sent.
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
async function outbox(query: string, key = test.operatorKey) {
  const response = await test.http.get(`/v1/notifications?${query}`).set(bearer(key)).expect(200);
  return response.body as { items: Record<string, unknown>[]; nextCursor: string | null };
}

describe('the notification outbox', () => {
  it('holds an invitation carrying a registration token for a box created with notify', async () => {
    const created = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'PER', { notify: true, firstName: 'Éloïse', lastName: 'Martin' }))
      .expect(201);
    const { items } = await outbox(`mailboxId=${created.body.id}`);
    expect(items).toEqual([
      expect.objectContaining({
        structureId,
        mailboxId: created.body.id,
        kind: 'invitation',
        recipient: created.body.email,
        status: 'queued',
        attempts: 0,
        lastError: null,
        sentAt: null,
        subject: expect.stringContaining('MSSanté'),
      }),
    ]);
    expect(items[0]!.body).toMatch(/^Bonjour Éloïse Martin,/);
    expect(items[0]!.body).toMatch(/^ {4}[A-Za-z0-9_-]{43}$/m);
  });

  it('holds nothing for a box created without notify', async () => {
    const box = await createMailbox(test, structureId);
    expect((await outbox(`mailboxId=${box.id}`)).items).toEqual([]);
  });

  it('keeps messages queued, attempt-free, when no SMTP is configured', async () => {
    const created = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'PER', { notify: true }))
      .expect(201);
    await test.app.jobs.drain();
    await test.app.jobs.drain();
    const { items } = await outbox(`mailboxId=${created.body.id}`);
    expect(items).toEqual([expect.objectContaining({ status: 'queued', attempts: 0, lastError: null, sentAt: null })]);
    expect((await outbox(`structureId=${structureId}&status=sent`)).items).toEqual([]);
  });

  it('filters by kind and pages newest first', async () => {
    const own = (await createStructure(test)).id;
    for (let index = 0; index < 3; index += 1) {
      await test.http
        .post('/v1/mailboxes')
        .set(asOperator())
        .send(mailboxBody(own, 'PER', { notify: true }))
        .expect(201);
    }
    await test.http
      .post(`/v1/structures/${own}/reminders`)
      .set(asOperator())
      .expect(201, /"sent":3/);
    const reminders = await outbox(`structureId=${own}&kind=reminder`);
    expect(reminders.items).toHaveLength(3);
    expect(reminders.items.every((item) => item.kind === 'reminder')).toBe(true);

    const seen: unknown[] = [];
    let page = await outbox(`structureId=${own}&limit=4`);
    seen.push(...page.items.map((item) => item.id));
    expect(page.nextCursor).not.toBeNull();
    page = await outbox(`structureId=${own}&limit=4&cursor=${page.nextCursor}`);
    seen.push(...page.items.map((item) => item.id));
    expect(page.nextCursor).toBeNull();
    expect(new Set(seen).size).toBe(6);
  });

  it('needs a key, shows readers their structures only and hides others (404 on their filter)', async () => {
    const theirs = (await createStructure(test)).id;
    const other = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(theirs, 'PER', { notify: true }))
      .expect(201);
    const mine = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'PER', { notify: true }))
      .expect(201);
    const readerKey = (await createApiKey(test, 'reader', [structureId])).key;
    await test.http.get('/v1/notifications').expect(401);
    const listed = (await outbox('limit=500', readerKey)).items.map((item) => item.mailboxId);
    expect(listed).toContain(mine.body.id);
    expect(listed).not.toContain(other.body.id);
    await test.http.get(`/v1/notifications?structureId=${theirs}`).set(bearer(readerKey)).expect(404);
  });

  it('hides registration tokens from read-only keys (finishing a registration is a write)', async () => {
    const created = await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'PER', { notify: true }))
      .expect(201);
    const readerKey = (await createApiKey(test, 'reader', [structureId])).key;
    const [asReader] = (await outbox(`mailboxId=${created.body.id}`, readerKey)).items;
    const [asOperatorItem] = (await outbox(`mailboxId=${created.body.id}`)).items;
    const token = /^ {4}([A-Za-z0-9_-]{43})$/m.exec(asOperatorItem!.body as string)![1]!;
    expect(asReader!.body).not.toContain(token);
    expect(asReader!.body).toContain('[hidden from read-only keys]');
  });
});
