import { sql } from 'drizzle-orm';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { assignCorrespondence, createMailbox, createStructure, uniqueLocalPart } from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
  // A dependency that fails mid-way: the old address is withdrawn, then the new one's insert blows up.
  // And a slow insert, so that two concurrent requests overlap between counting and committing.
  await test.app.db.execute(
    sql.raw(`
    create function fail_on_doomed_address() returns trigger language plpgsql as $$
    begin
      if new.local_part like 'doomed%' then raise exception 'simulated failure'; end if;
      if new.local_part like 'slow%' then perform pg_sleep(0.3); end if;
      return new;
    end $$;`),
  );
  await test.app.db.execute(
    sql.raw(`
    create trigger mssante_addresses_fail before insert on mssante_addresses
      for each row execute function fail_on_doomed_address();`),
  );
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const put = (mailboxId: string, localPart: string) =>
  test.http.put(`/v1/mailboxes/${mailboxId}/correspondence`).set(asOperator()).send({ localPart });
const panelOf = async (structureId: string) =>
  (await test.http.get(`/v1/structures/${structureId}/mssante`).set(asOperator()).expect(200)).body;

describe('quotas', () => {
  it("refuses an address beyond the family's quota, counting PER and INT together, and not the other families", async () => {
    const structure = await createStructure(test, { quotas: { personal: 2, organisational: 0, applicative: null } });
    const per = await createMailbox(test, structure.id, 'PER');
    const int = await createMailbox(test, structure.id, 'INT');
    const third = await createMailbox(test, structure.id, 'PER');
    await assignCorrespondence(test, per.id, uniqueLocalPart());
    await assignCorrespondence(test, int.id, uniqueLocalPart());
    const refused = await put(third.id, uniqueLocalPart()).expect(422);
    expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED', family: 'personal', used: 2, limit: 2 });
    const org = await createMailbox(test, structure.id, 'ORG');
    expect((await put(org.id, uniqueLocalPart()).expect(422)).body.family).toBe('organisational');
    const app = await createMailbox(test, structure.id, 'APP');
    await put(app.id, uniqueLocalPart()).expect(200);
  });

  it('lets a box with an address change it when the quota is full', async () => {
    const structure = await createStructure(test, { quotas: { personal: 1 } });
    const box = await createMailbox(test, structure.id, 'PER');
    await assignCorrespondence(test, box.id, uniqueLocalPart('before'));
    await put(box.id, uniqueLocalPart('after')).expect(200);
    expect((await panelOf(structure.id)).quotas.personal).toEqual({ limit: 1, used: 1, available: 0 });
  });

  it("shows PUT and DELETE in the structure's MSSanté panel", async () => {
    const structure = await createStructure(test, { quotas: { personal: 5, organisational: 3 } });
    const per = await createMailbox(test, structure.id, 'PER');
    const org = await createMailbox(test, structure.id, 'ORG');
    expect((await panelOf(structure.id)).quotas.personal).toEqual({ limit: 5, used: 0, available: 5 });
    await assignCorrespondence(test, per.id, uniqueLocalPart());
    await assignCorrespondence(test, org.id, uniqueLocalPart());
    let panel = await panelOf(structure.id);
    expect(panel.quotas).toMatchObject({
      personal: { used: 1, available: 4 },
      organisational: { used: 1, available: 2 },
      applicative: { used: 0, available: null },
    });
    await test.http.delete(`/v1/mailboxes/${per.id}/correspondence`).set(asOperator()).expect(200);
    panel = await panelOf(structure.id);
    expect(panel.quotas).toMatchObject({
      personal: { used: 0, available: 5 },
      organisational: { used: 1, available: 2 },
    });
  });

  it('gives the last place to one of two concurrent requests only', async () => {
    const structure = await createStructure(test, { quotas: { personal: 1 } });
    const first = await createMailbox(test, structure.id, 'PER');
    const second = await createMailbox(test, structure.id, 'INT');
    const answers = await Promise.all([
      put(first.id, uniqueLocalPart('slow.a')),
      put(second.id, uniqueLocalPart('slow.b')),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 422]);
    expect((await panelOf(structure.id)).quotas.personal).toEqual({ limit: 1, used: 1, available: 0 });
  });

  it('gives one address to one of two boxes asking for it at the same time', async () => {
    const structure = await createStructure(test);
    const first = await createMailbox(test, structure.id, 'PER');
    const second = await createMailbox(test, structure.id, 'PER');
    const localPart = uniqueLocalPart('race');
    const answers = await Promise.all([put(first.id, localPart), put(second.id, localPart)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
  });
});

describe('a failed change', () => {
  it('keeps the old address active and audits nothing', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const old = await assignCorrespondence(test, box.id, uniqueLocalPart('kept'));
    await put(box.id, uniqueLocalPart('doomed')).expect(500);
    const read = await test.http.get(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    expect(read.body).toMatchObject({ current: { address: old.current.address }, history: [] });
    expect(read.headers.etag).toBe('"2"');
    const events = await test.http
      .get(`/v1/audit-events?mailboxId=${box.id}&action=correspondence.changed`)
      .set(asOperator());
    expect(events.body.items).toHaveLength(0);
  });
});
