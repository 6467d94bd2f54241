import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, emailChangeClient, mailboxBody, uniqueEmail } from '../../../test/factories';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
});
afterAll(() => test.close());

const { asOperator, act, getMailbox, auditActions, pendingRequest } = emailChangeClient(
  () => test,
  () => structureId,
);

describe('approving a request', () => {
  it('applies the new address to the box, frees the old one, audits both and tells the new address', async () => {
    const { box, request } = await pendingRequest();
    const approved = await act(request.id, 'approve').set('If-Match', '"1"').expect(200);
    expect(approved.headers.etag).toBe('"2"');
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: expect.any(String),
      decidedAt: expect.any(String),
    });
    const changed = await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    expect(changed.body.email).toBe(request.newEmail);
    expect(changed.headers.etag).toBe('"2"');
    expect(await auditActions(`mailboxId=${box.id}`)).toEqual([
      'email_change_request.approved',
      'mailbox.email_changed',
      'email_change_request.created',
      'mailbox.created',
    ]);
    const events = await test.http
      .get(`/v1/audit-events?mailboxId=${box.id}&action=mailbox.email_changed`)
      .set(asOperator());
    expect(events.body.items[0]).toMatchObject({
      before: { email: box.email },
      after: { email: request.newEmail },
      cause: { emailChangeRequestId: request.id },
    });
    const outbox = await test.http
      .get(`/v1/notifications?mailboxId=${box.id}&kind=email_change`)
      .set(asOperator())
      .expect(200);
    expect(outbox.body.items).toEqual([expect.objectContaining({ recipient: request.newEmail, status: 'queued' })]);
    expect(outbox.body.items[0].body).toContain(box.email);
    // The old address is free again, the new one is held.
    await createMailbox(test, structureId, 'PER', { email: box.email });
    await test.http
      .post('/v1/mailboxes')
      .set(asOperator())
      .send(mailboxBody(structureId, 'PER', { email: request.newEmail }))
      .expect(409);
  });

  it('refuses when another box took the address meanwhile (409), leaving the request pending and the box as it was', async () => {
    const { box, request } = await pendingRequest();
    await createMailbox(test, (await createStructure(test)).id, 'PER', { email: request.newEmail.toUpperCase() });
    const refused = await act(request.id, 'approve').expect(409);
    expect(refused.body).toMatchObject({ code: 'EMAIL_TAKEN' });
    expect((await getMailbox(box.id)).email).toBe(box.email);
    const read = await test.http.get(`/v1/email-change-requests/${request.id}`).set(asOperator()).expect(200);
    expect(read.body).toMatchObject({ status: 'pending' });
    expect(read.headers.etag).toBe('"1"');
    expect(await auditActions(`targetId=${request.id}`)).toEqual(['email_change_request.created']);
    await act(request.id, 'reject', { reason: 'Adresse déjà utilisée' }).expect(
      200,
      /"reason":"Adresse déjà utilisée"/,
    );
  });

  it('refuses a request whose box was deleted (409 with the box status)', async () => {
    const { box, request } = await pendingRequest();
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const refused = await act(request.id, 'approve').expect(409);
    expect(refused.body).toMatchObject({
      code: 'INVALID_TRANSITION',
      currentStatus: 'pending',
      mailboxStatus: 'deleted',
    });
  });

  it('honours If-Match (412 on a stale ETag, nothing applied)', async () => {
    const { box, request } = await pendingRequest();
    const refused = await act(request.id, 'approve').set('If-Match', '"7"').expect(412);
    expect(refused.body.currentEtag).toBe('"1"');
    expect((await getMailbox(box.id)).email).toBe(box.email);
  });
});

describe('a failed approval', () => {
  beforeAll(async () => {
    // A box created with the address between our check and our update: the unique index refuses the update.
    await test.app.db.execute(
      sql.raw(`
      create function take_address_first() returns trigger language plpgsql as $$
      begin
        if new.email like 'racing-%' and new.email_key <> old.email_key then
          insert into mailboxes (structure_id, type, email, email_key, status, last_name, first_name, last_name_key, first_name_key)
          values (old.structure_id, 'PER', new.email, new.email_key, 'valid', 'X', 'Y', 'x', 'y');
        end if;
        return new;
      end $$;`),
    );
    await test.app.db.execute(
      sql.raw(`
      create trigger mailboxes_take_address_first before update on mailboxes
        for each row execute function take_address_first();`),
    );
    // A dependency failing once everything else is written: the last audit event.
    await test.app.db.execute(
      sql.raw(`
      create function fail_doomed_approval() returns trigger language plpgsql as $$
      begin
        if new.action = 'email_change_request.approved' and new.after->>'newEmail' like 'doomed-%' then
          raise exception 'simulated failure';
        end if;
        return new;
      end $$;`),
    );
    await test.app.db.execute(
      sql.raw(`
      create trigger audit_fail_doomed_approval before insert on audit_events
        for each row execute function fail_doomed_approval();`),
    );
  });

  it("turns the e-mail index's refusal into a 409 and writes nothing", async () => {
    const { box, request } = await pendingRequest(uniqueEmail('racing-user'));
    const refused = await act(request.id, 'approve').expect(409);
    expect(refused.body.code).toBe('EMAIL_TAKEN');
    expect((await getMailbox(box.id)).email).toBe(box.email);
    const holders = await selectRows(
      test.app.db,
      sql`select id from mailboxes where email_key = ${request.newEmail.toLowerCase()}`,
    );
    expect(holders).toEqual([]);
  });

  it('leaves neither the new address, the decision, the notification nor an audit event behind', async () => {
    const { box, request } = await pendingRequest(uniqueEmail('doomed-user'));
    await act(request.id, 'approve').expect(500);
    expect((await getMailbox(box.id)).email).toBe(box.email);
    expect((await test.http.get(`/v1/email-change-requests/${request.id}`).set(asOperator())).body.status).toBe(
      'pending',
    );
    const outbox = await test.http.get(`/v1/notifications?mailboxId=${box.id}`).set(asOperator());
    expect(outbox.body.items).toEqual([]);
    expect(await auditActions(`mailboxId=${box.id}`)).toEqual(['email_change_request.created', 'mailbox.created']);
  });
});
