import { sql } from 'drizzle-orm';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure } from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
  // A dependency that fails mid-way through a replacement: the old links are gone, then an insert blows up.
  await test.app.db.execute(
    sql.raw(`
    create function fail_on_doomed_link() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from mailboxes where id = new.account_mailbox_id and last_name = 'Doomed') then
        raise exception 'simulated failure';
      end if;
      -- A slow insert, so that two concurrent requests overlap between checking and committing.
      if exists (select 1 from mailboxes where id = new.account_mailbox_id and last_name = 'Slow') then
        perform pg_sleep(0.3);
      end if;
      return new;
    end $$;`),
  );
  await test.app.db.execute(
    sql.raw(`
    create trigger connection_accounts_fail before insert on connection_accounts
      for each row execute function fail_on_doomed_link();`),
  );
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const path = (sharedId: string) => `/v1/mailboxes/${sharedId}/connection-accounts`;
const add = (sharedId: string, body: object) => test.http.post(path(sharedId)).set(asOperator()).send(body);
const replace = (sharedId: string, items: object[]) => test.http.put(path(sharedId)).set(asOperator()).send({ items });
const listOf = async (sharedId: string) =>
  (
    await test.http
      .get(`${path(sharedId)}?limit=500`)
      .set(asOperator())
      .expect(200)
  ).body.items;
const auditOf = async (mailboxId: string, action: string) =>
  (await test.http.get(`/v1/audit-events?mailboxId=${mailboxId}&action=${action}`).set(asOperator()).expect(200)).body
    .items;

describe('POST /v1/mailboxes/{id}/connection-accounts', () => {
  it('lets PER, MED and INT logins of the structure open an ORG box, by id or by e-mail, audited', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const per = await createMailbox(test, structure.id, 'PER');
    const med = await createMailbox(test, structure.id, 'MED');
    const int = await createMailbox(test, structure.id, 'INT');
    const added = await add(org.id, { mailboxId: per.id, isDefault: true, notifyOnReceipt: true }).expect(201);
    expect(added.body).toMatchObject({
      mailboxId: per.id,
      email: per.email,
      type: 'PER',
      isDefault: true,
      notifyOnReceipt: true,
    });
    await add(org.id, { email: med.email.toUpperCase() }).expect(201);
    await add(org.id, { mailboxId: int.id }).expect(201);
    const items = await listOf(org.id);
    expect(items.map((item: { mailboxId: string }) => item.mailboxId).sort()).toEqual([per.id, med.id, int.id].sort());
    expect(items.find((item: { mailboxId: string }) => item.mailboxId === med.id)).toMatchObject({
      isDefault: false,
      notifyOnReceipt: false,
    });
    const [event] = await auditOf(org.id, 'connection_account.added');
    expect(event).toMatchObject({
      structureId: structure.id,
      mailboxId: org.id,
      targetId: int.id,
      after: { mailboxId: int.id },
    });
  });

  it('works on APP boxes too, and pages in e-mail order', async () => {
    const structure = await createStructure(test);
    const app = await createMailbox(test, structure.id, 'APP');
    const accounts = [];
    for (let index = 0; index < 3; index += 1) {
      const account = await createMailbox(test, structure.id, 'MED');
      accounts.push(account);
      await add(app.id, { mailboxId: account.id }).expect(201);
    }
    const first = await test.http
      .get(`${path(app.id)}?limit=2`)
      .set(asOperator())
      .expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await test.http
      .get(`${path(app.id)}?limit=2&cursor=${first.body.nextCursor}`)
      .set(asOperator())
      .expect(200);
    expect(second.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    const emails = [...first.body.items, ...second.body.items].map((item: { email: string }) => item.email);
    expect(emails).toEqual(accounts.map((account) => account.email).sort());
  });

  it.each([
    ['an ORG box', 'ORG', 'ACCOUNT_NOT_NOMINATIVE'],
    ['an APP box', 'APP', 'ACCOUNT_NOT_NOMINATIVE'],
  ])('refuses %s as a connection account (422 naming the field)', async (_case, type, code) => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const other = await createMailbox(test, structure.id, type as 'ORG');
    const response = await add(org.id, { mailboxId: other.id }).expect(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'mailboxId', code })]);
    expect(await listOf(org.id)).toEqual([]);
  });

  it("reports another structure's box exactly as an unknown one", async () => {
    const structure = await createStructure(test);
    const elsewhere = await createMailbox(test, (await createStructure(test)).id, 'PER');
    const org = await createMailbox(test, structure.id, 'ORG');
    const foreign = await add(org.id, { mailboxId: elsewhere.id }).expect(422);
    const unknown = await add(org.id, { mailboxId: '00000000-0000-4000-8000-000000000000' }).expect(422);
    const byEmail = await add(org.id, { email: elsewhere.email }).expect(422);
    expect(foreign.body.errors).toEqual(unknown.body.errors);
    expect(foreign.body.detail).toBe(unknown.body.detail);
    expect(byEmail.body.errors).toEqual([expect.objectContaining({ field: 'email', code: 'ACCOUNT_UNKNOWN' })]);
  });

  it('refuses a deleted login, keeps a deactivated one', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const deleted = await createMailbox(test, structure.id, 'PER');
    await test.http.delete(`/v1/mailboxes/${deleted.id}`).set(asOperator()).expect(200);
    const refused = await add(org.id, { mailboxId: deleted.id }).expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'mailboxId', code: 'ACCOUNT_INACTIVE' });
    const deactivated = await createMailbox(test, structure.id, 'PER');
    await test.http.post(`/v1/mailboxes/${deactivated.id}/deactivate`).set(asOperator()).expect(200);
    await add(org.id, { mailboxId: deactivated.id }).expect(201);
  });

  it('refuses connection accounts on a nominative box, and on a deleted one', async () => {
    const structure = await createStructure(test);
    const per = await createMailbox(test, structure.id, 'PER');
    const med = await createMailbox(test, structure.id, 'MED');
    const refused = await add(per.id, { mailboxId: med.id }).expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'type', code: 'NOT_A_SHARED_MAILBOX' });
    await replace(per.id, [{ mailboxId: med.id }]).expect(422);
    expect(await listOf(per.id)).toEqual([]);
    const org = await createMailbox(test, structure.id, 'ORG');
    await test.http.delete(`/v1/mailboxes/${org.id}`).set(asOperator()).expect(200);
    expect((await add(org.id, { mailboxId: med.id }).expect(409)).body.code).toBe('INVALID_TRANSITION');
  });

  it('refuses an account listed already (409) and a body naming the box twice or not at all (400)', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const per = await createMailbox(test, structure.id, 'PER');
    await add(org.id, { mailboxId: per.id }).expect(201);
    const again = await add(org.id, { email: per.email, isDefault: true }).expect(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_LINKED', errors: [expect.objectContaining({ field: 'email' })] });
    expect((await add(org.id, { mailboxId: per.id, email: per.email }).expect(400)).body.errors[0].code).toBe(
      'MAILBOX_REFERENCE_AMBIGUOUS',
    );
    expect((await add(org.id, { isDefault: true }).expect(400)).body.errors[0].code).toBe('MAILBOX_REFERENCE_REQUIRED');
    expect(await listOf(org.id)).toEqual([expect.objectContaining({ mailboxId: per.id, isDefault: false })]);
  });
});

describe('one default per login', () => {
  it('refuses a second default box for a login (409 naming isDefault), allowing it once the first is unset', async () => {
    const structure = await createStructure(test);
    const first = await createMailbox(test, structure.id, 'ORG');
    const second = await createMailbox(test, structure.id, 'APP');
    const per = await createMailbox(test, structure.id, 'PER');
    await add(first.id, { mailboxId: per.id, isDefault: true }).expect(201);
    const refused = await add(second.id, { mailboxId: per.id, isDefault: true }).expect(409);
    expect(refused.body).toMatchObject({
      code: 'DEFAULT_TAKEN',
      errors: [expect.objectContaining({ field: 'isDefault', code: 'DEFAULT_TAKEN' })],
    });
    const listed = await replace(second.id, [{ mailboxId: per.id, isDefault: true }]).expect(409);
    expect(listed.body.errors[0].field).toBe('items.0.isDefault');
    await add(second.id, { mailboxId: per.id }).expect(201);
    await replace(first.id, [{ mailboxId: per.id, isDefault: false }]).expect(200);
    const moved = await replace(second.id, [{ mailboxId: per.id, isDefault: true }]).expect(200);
    expect(moved.body.items[0]).toMatchObject({ mailboxId: per.id, isDefault: true });
  });

  it('gives the default to one of two concurrent requests only', async () => {
    const structure = await createStructure(test);
    const first = await createMailbox(test, structure.id, 'ORG');
    const second = await createMailbox(test, structure.id, 'ORG');
    const per = await createMailbox(test, structure.id, 'PER', { lastName: 'Slow' });
    const answers = await Promise.all([
      add(first.id, { mailboxId: per.id, isDefault: true }),
      add(second.id, { mailboxId: per.id, isDefault: true }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
  });
});

describe('PUT /v1/mailboxes/{id}/connection-accounts', () => {
  it('replaces the list: removes, adds, changes flags, keeps creation dates, audited once', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const [kept, removed, added] = [
      await createMailbox(test, structure.id, 'PER'),
      await createMailbox(test, structure.id, 'MED'),
      await createMailbox(test, structure.id, 'INT'),
    ];
    const keptBefore = (await add(org.id, { mailboxId: kept.id }).expect(201)).body;
    await add(org.id, { mailboxId: removed.id }).expect(201);
    const response = await replace(org.id, [
      { email: kept.email, notifyOnReceipt: true },
      { mailboxId: added.id, isDefault: true },
    ]).expect(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items).toHaveLength(2);
    expect(await listOf(org.id)).toEqual(response.body.items);
    const byId = new Map(response.body.items.map((item: { mailboxId: string }) => [item.mailboxId, item]));
    expect(byId.get(kept.id)).toMatchObject({
      notifyOnReceipt: true,
      isDefault: false,
      createdAt: keptBefore.createdAt,
    });
    expect(byId.get(added.id)).toMatchObject({ isDefault: true });
    const events = await auditOf(org.id, 'connection_accounts.replaced');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ cause: { added: 1, changed: 1, removed: 1 }, structureId: structure.id });
    expect(events[0].before).toHaveLength(2);
    await replace(org.id, [
      { mailboxId: kept.id, notifyOnReceipt: true },
      { mailboxId: added.id, isDefault: true },
    ]).expect(200);
    expect(await auditOf(org.id, 'connection_accounts.replaced')).toHaveLength(1);
    expect((await replace(org.id, []).expect(200)).body.items).toEqual([]);
  });

  it('refuses the whole list when one item is wrong, naming each item at fault', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const per = await createMailbox(test, structure.id, 'PER');
    const app = await createMailbox(test, structure.id, 'APP');
    await add(org.id, { mailboxId: per.id }).expect(201);
    const response = await replace(org.id, [{ mailboxId: per.id }, { mailboxId: app.id }, { email: per.email }]).expect(
      422,
    );
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'items.1.mailboxId', code: 'ACCOUNT_NOT_NOMINATIVE' }),
      expect.objectContaining({ field: 'items.2.email', code: 'DUPLICATE_ACCOUNT' }),
    ]);
    expect(await listOf(org.id)).toEqual([expect.objectContaining({ mailboxId: per.id })]);
  });

  it('leaves the old list and no audit event when a write fails mid-way', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const old = await createMailbox(test, structure.id, 'PER');
    const doomed = await createMailbox(test, structure.id, 'PER', { lastName: 'Doomed' });
    await add(org.id, { mailboxId: old.id }).expect(201);
    await replace(org.id, [{ mailboxId: doomed.id }]).expect(500);
    expect(await listOf(org.id)).toEqual([expect.objectContaining({ mailboxId: old.id })]);
    expect(await auditOf(org.id, 'connection_accounts.replaced')).toHaveLength(0);
  });
});

describe('DELETE /v1/mailboxes/{id}/connection-accounts/{accountMailboxId}', () => {
  it('removes one account, audited; an account not listed is a 404', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const per = await createMailbox(test, structure.id, 'PER');
    await add(org.id, { mailboxId: per.id, isDefault: true }).expect(201);
    await test.http
      .delete(`${path(org.id)}/${per.id}`)
      .set(asOperator())
      .expect(204);
    expect(await listOf(org.id)).toEqual([]);
    const [event] = await auditOf(org.id, 'connection_account.removed');
    expect(event).toMatchObject({ targetId: per.id, before: { mailboxId: per.id, isDefault: true }, after: null });
    await test.http
      .delete(`${path(org.id)}/${per.id}`)
      .set(asOperator())
      .expect(404);
    // The default went with the link: the login may open another box by default.
    const other = await createMailbox(test, structure.id, 'ORG');
    await add(other.id, { mailboxId: per.id, isDefault: true }).expect(201);
  });
});
