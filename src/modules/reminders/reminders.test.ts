import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createMailbox, createStructure, mailboxBody, runLifecycleSweep } from '../../../test/factories';

const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ clock });
  await test.app.db.execute(
    sql.raw(`
    create function fail_doomed_notification() returns trigger language plpgsql as $$
    begin
      if new.recipient like 'doomed-%' then raise exception 'simulated failure'; end if;
      return new;
    end $$;`),
  );
  await test.app.db.execute(
    sql.raw(`
    create trigger notifications_fail_doomed before insert on notifications
      for each row execute function fail_doomed_notification();`),
  );
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const remind = (structureId: string, key = test.operatorKey) =>
  test.http.post(`/v1/structures/${structureId}/reminders`).set(bearer(key));
const lastReminder = (structureId: string, key = test.operatorKey) =>
  test.http.get(`/v1/structures/${structureId}/reminders/last`).set(bearer(key));
const tokenOf = (body: string) => /^ {4}(\S+)$/m.exec(body)![1]!;

async function outbox(query: string) {
  const response = await test.http.get(`/v1/notifications?${query}&limit=500`).set(asOperator()).expect(200);
  return response.body.items as {
    mailboxId: string;
    recipient: string;
    subject: string;
    body: string;
    kind: string;
    status: string;
  }[];
}

async function createNotified(structureId: string, overrides: Record<string, unknown> = {}) {
  const response = await test.http
    .post('/v1/mailboxes')
    .set(asOperator())
    .send(mailboxBody(structureId, 'PER', { notify: true, ...overrides }))
    .expect(201);
  return response.body as { id: string; email: string };
}

describe('reminders to pre-registered users', () => {
  it('answers null before any reminder', async () => {
    const { id } = await createStructure(test);
    const response = await lastReminder(id).expect(200);
    expect(response.body).toBeNull();
  });

  it('reminds every pre-registered box of the structure with a fresh token, and only those', async () => {
    const { id: structureId } = await createStructure(test);
    const invited = await createNotified(structureId);
    const silent = await createMailbox(test, structureId);
    const registering = await test.http.post('/v1/registrations').send(mailboxBody(structureId)).expect(201);
    const deleted = await createMailbox(test, structureId);
    await test.http.delete(`/v1/mailboxes/${deleted.id}`).set(asOperator()).expect(200);
    const elsewhere = await createMailbox(test, (await createStructure(test)).id);
    const etagBefore = (await test.http.get(`/v1/mailboxes/${silent.id}`).set(asOperator())).headers.etag;
    const invitationToken = tokenOf((await outbox(`mailboxId=${invited.id}&kind=invitation`))[0]!.body);

    clock.set('2026-03-02T10:30:00.000Z');
    const sent = await remind(structureId).expect(201);
    expect(sent.body).toEqual({ sent: 2, at: '2026-03-02T10:30:00.000Z' });

    const reminders = await outbox(`structureId=${structureId}&kind=reminder`);
    expect(reminders.map((message) => message.mailboxId).sort()).toEqual([invited.id, silent.id].sort());
    for (const message of reminders) {
      expect(message).toMatchObject({ status: 'queued', subject: expect.stringContaining('Rappel') });
      expect(message.recipient).toBe(message.mailboxId === invited.id ? invited.email : silent.email);
    }
    for (const other of [registering.body.id, deleted.id, elsewhere.id])
      expect(await outbox(`mailboxId=${other}&kind=reminder`)).toEqual([]);
    // The box's representation did not change: clients' ETags stay valid.
    expect((await test.http.get(`/v1/mailboxes/${silent.id}`).set(asOperator())).headers.etag).toBe(etagBefore);

    // The invitation's token is replaced by the reminder's.
    const reminderToken = tokenOf(reminders.find((message) => message.mailboxId === invited.id)!.body);
    expect(reminderToken).not.toBe(invitationToken);
    await test.http.post('/v1/registrations/complete').send({ token: invitationToken }).expect(404);
    await test.http
      .post('/v1/registrations/complete')
      .send({ token: reminderToken })
      .expect(200, /"status":"valid"/);
  });

  it('records each reminder, shows the last one, and audits the reminder and each box reminded', async () => {
    const { id: structureId } = await createStructure(test);
    const first = await createMailbox(test, structureId);
    const second = await createMailbox(test, structureId);
    clock.set('2026-03-03T08:00:00.000Z');
    await remind(structureId).expect(201);
    await test.http.post(`/v1/mailboxes/${second.id}/deactivate`).set(asOperator()).expect(200);
    clock.set('2026-03-10T08:00:00.000Z');
    await remind(structureId).expect(201, { sent: 1, at: '2026-03-10T08:00:00.000Z' });
    expect((await lastReminder(structureId).expect(200)).body).toEqual({ sent: 1, at: '2026-03-10T08:00:00.000Z' });

    const events = await test.http
      .get(`/v1/audit-events?structureId=${structureId}&action=reminder.sent`)
      .set(asOperator());
    expect(events.body.items.map((event: { after: unknown }) => event.after)).toEqual([
      { sent: 1, at: '2026-03-10T08:00:00.000Z' },
      { sent: 2, at: '2026-03-03T08:00:00.000Z' },
    ]);
    const reminderIds = events.body.items.map((event: { targetId: string }) => event.targetId);
    const firstBox = await test.http
      .get(`/v1/audit-events?mailboxId=${first.id}&action=mailbox.reminded`)
      .set(asOperator());
    expect(firstBox.body.items.map((event: { cause: { reminderId: string } }) => event.cause.reminderId)).toEqual(
      reminderIds,
    );
    const secondBox = await test.http
      .get(`/v1/audit-events?mailboxId=${second.id}&action=mailbox.reminded`)
      .set(asOperator());
    expect(secondBox.body.items.map((event: { cause: { reminderId: string } }) => event.cause.reminderId)).toEqual([
      reminderIds[1],
    ]);
    expect(JSON.stringify(events.body.items) + JSON.stringify(firstBox.body.items)).not.toMatch(/token/i);
  });

  it('records a reminder that found nobody to remind', async () => {
    const { id: structureId } = await createStructure(test);
    clock.set('2026-03-11T08:00:00.000Z');
    await remind(structureId).expect(201, { sent: 0, at: '2026-03-11T08:00:00.000Z' });
    await lastReminder(structureId).expect(200, { sent: 0, at: '2026-03-11T08:00:00.000Z' });
  });

  it('answers 404 for a structure that does not exist', async () => {
    await remind('00000000-0000-4000-8000-000000000000').expect(404);
    await lastReminder('00000000-0000-4000-8000-000000000000').expect(404);
  });

  it('leaves no token, message, reminder or audit event behind when a step fails', async () => {
    const { id: structureId } = await createStructure(test);
    await createMailbox(test, structureId);
    await createMailbox(test, structureId, 'PER', { email: `doomed-${Date.now()}@hopital.example.fr` });
    const hashes = () =>
      selectRows(
        test.app.db,
        sql`select id, registration_token_hash from mailboxes where structure_id = ${structureId} order by id`,
      );
    const before = await hashes();
    await remind(structureId).expect(500);
    expect(await hashes()).toEqual(before);
    expect(await outbox(`structureId=${structureId}&kind=reminder`)).toEqual([]);
    expect((await lastReminder(structureId).expect(200)).body).toBeNull();
    const events = await test.http
      .get(`/v1/audit-events?structureId=${structureId}&action=reminder.sent`)
      .set(asOperator());
    expect(events.body.items).toEqual([]);
  });
});

describe('the last reminder, who it reached', () => {
  const recipients = (structureId: string, query = '', key = test.operatorKey) =>
    test.http.get(`/v1/structures/${structureId}/reminders/last/recipients${query}`).set(bearer(key));

  it('is an empty page before any reminder', async () => {
    const { id } = await createStructure(test);
    await recipients(id).expect(200, { items: [], nextCursor: null });
  });

  it('lists the boxes and addresses the last reminder reached, not those of an earlier one nor the ORG box', async () => {
    const { id: structureId } = await createStructure(test);
    const first = await createMailbox(test, structureId, 'PER', { email: `b.${Date.now()}@recipients.example.fr` });
    const second = await createMailbox(test, structureId, 'MED', { email: `a.${Date.now()}@recipients.example.fr` });
    await createMailbox(test, structureId, 'ORG');
    const leaving = await createMailbox(test, structureId, 'INT');
    clock.set('2026-04-01T08:00:00.000Z');
    await remind(structureId).expect(201, /"sent":3/);
    await test.http.post(`/v1/mailboxes/${leaving.id}/deactivate`).set(asOperator()).expect(200);
    clock.set('2026-04-01T09:00:00.000Z');
    await remind(structureId).expect(201, /"sent":2/);
    const page = await recipients(structureId).expect(200);
    expect(page.body).toEqual({
      items: [
        {
          mailboxId: second.id,
          email: second.email,
          lastName: 'Dupont',
          firstName: 'Jean',
          type: 'MED',
          status: 'preregistered',
        },
        {
          mailboxId: first.id,
          email: first.email,
          lastName: 'Dupont',
          firstName: 'Jean',
          type: 'PER',
          status: 'preregistered',
        },
      ],
      nextCursor: null,
    });
  });

  it('shows the address a reminder went to, and the status the box has now', async () => {
    const { id: structureId } = await createStructure(test);
    const box = await createMailbox(test, structureId);
    await remind(structureId).expect(201);
    const token = tokenOf((await outbox(`mailboxId=${box.id}&kind=reminder`))[0]!.body);
    await test.http.post('/v1/registrations/complete').send({ token }).expect(200);
    const page = await recipients(structureId).expect(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ mailboxId: box.id, email: box.email, status: 'valid' }),
    ]);
  });

  it('pages in address order, the cursor keeping to its reminder when another is sent meanwhile', async () => {
    const { id: structureId } = await createStructure(test);
    const emails = ['c', 'a', 'e', 'b', 'd'].map((letter) => `${letter}.${Date.now()}@paging.example.fr`);
    for (const email of emails) await createMailbox(test, structureId, 'PER', { email });
    clock.set('2026-04-02T08:00:00.000Z');
    await remind(structureId).expect(201);
    const firstPage = await recipients(structureId, '?limit=2').expect(200);
    expect(firstPage.body.items.map((item: { email: string }) => item.email)).toEqual([emails[1], emails[3]]);
    await createMailbox(test, structureId, 'PER', { email: `0.${Date.now()}@paging.example.fr` });
    clock.set('2026-04-02T09:00:00.000Z');
    await remind(structureId).expect(201, /"sent":6/);
    const seen: string[] = [...firstPage.body.items.map((item: { email: string }) => item.email)];
    for (let cursor = firstPage.body.nextCursor as string | null; cursor !== null;) {
      const next = await recipients(structureId, `?limit=2&cursor=${cursor}`).expect(200);
      seen.push(...next.body.items.map((item: { email: string }) => item.email));
      cursor = next.body.nextCursor;
    }
    expect(seen).toEqual([...emails].sort());
    expect((await recipients(structureId, '?limit=10').expect(200)).body.items).toHaveLength(6);
  });

  it("refuses a forged cursor (400 naming cursor) and another structure's reminder in a cursor", async () => {
    const { id: structureId } = await createStructure(test);
    const { id: otherId } = await createStructure(test);
    await createMailbox(test, otherId);
    await createMailbox(test, otherId);
    await remind(otherId).expect(201);
    const otherCursor = (await recipients(otherId, '?limit=1').expect(200)).body.nextCursor as string;
    for (const cursor of [otherCursor, Buffer.from('["x","y","z"]').toString('base64url')]) {
      const refused = await recipients(structureId, `?cursor=${cursor}`).expect(400);
      expect(refused.body.errors[0]).toMatchObject({ field: 'cursor', code: 'CURSOR_INVALID' });
    }
  });

  it('keeps no copy of the address once the box is purged', async () => {
    const { id: structureId } = await createStructure(test);
    const box = await createMailbox(test, structureId);
    await remind(structureId).expect(201);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    clock.set('2027-12-01T08:00:00.000Z');
    expect((await runLifecycleSweep(test)).purged.mailboxIds).toContain(box.id);
    const rows = await selectRows<{ recipient: string }>(
      test.app.db,
      sql`select recipient from reminder_recipients where mailbox_id = ${box.id}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.recipient).toMatch(/^purged-[0-9a-f-]+@purged\.invalid$/);
  });
});

describe('reminder routes security', () => {
  let mine: string;
  let theirs: string;
  let adminKey: string;
  let readerKey: string;
  beforeAll(async () => {
    mine = (await createStructure(test)).id;
    theirs = (await createStructure(test)).id;
    await createMailbox(test, mine);
    await createMailbox(test, theirs);
    adminKey = (await createApiKey(test, 'admin', [mine])).key;
    readerKey = (await createApiKey(test, 'reader', [mine])).key;
  });

  it('needs a key', async () => {
    await test.http.post(`/v1/structures/${mine}/reminders`).expect(401);
    await test.http.get(`/v1/structures/${mine}/reminders/last`).expect(401);
  });

  it('lets a reader see the last reminder but not send one', async () => {
    await remind(mine, readerKey).expect(403);
    await lastReminder(mine, readerKey).expect(200);
    await remind(mine, adminKey).expect(201, /"sent":1/);
  });

  it("hides another structure (404), a reader's send being refused by role first (403)", async () => {
    await remind(theirs, adminKey).expect(404);
    await remind(theirs, readerKey).expect(403);
    await lastReminder(theirs, adminKey).expect(404);
    await lastReminder(theirs, readerKey).expect(404);
    await test.http.get(`/v1/structures/${theirs}/reminders/last/recipients`).set(bearer(readerKey)).expect(404);
    await test.http.get(`/v1/structures/${mine}/reminders/last/recipients`).set(bearer(readerKey)).expect(200);
    await test.http.get(`/v1/structures/${mine}/reminders/last/recipients`).expect(401);
    expect((await lastReminder(theirs).expect(200)).body).toBeNull();
    expect(await outbox(`structureId=${theirs}&kind=reminder`)).toEqual([]);
  });
});
