import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createMailbox,
  createStructure,
  createValidMailbox,
  importRows,
  loaduserCsv,
  mailboxBody,
  runImport,
  uniqueLocalPart,
} from '../../../test/factories';

/**
 * Which boxes may hold an MSSanté address ("si le type de compte et son état le permettent"):
 * given one only when preregistered or valid, kept while deactivated, withdrawn by any status that
 * may not hold one, and counted in the quota only where held by such a status.
 */
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const put = (mailboxId: string, localPart: string) =>
  test.http.put(`/v1/mailboxes/${mailboxId}/correspondence`).set(asOperator()).send({ localPart });
const act = (mailboxId: string, action: string) =>
  test.http.post(`/v1/mailboxes/${mailboxId}/${action}`).set(asOperator());
const getMailbox = async (mailboxId: string) =>
  (await test.http.get(`/v1/mailboxes/${mailboxId}`).set(asOperator()).expect(200)).body;
const personalUsed = async (structureId: string) =>
  (await test.http.get(`/v1/structures/${structureId}/mssante`).set(asOperator()).expect(200)).body.quotas.personal
    .used as number;
const signUp = async (structureId: string) =>
  (await test.http.post('/v1/registrations').send(mailboxBody(structureId)).expect(201)).body as { id: string };

/** An address held by a box whose status may not hold one: what data written before the rule may contain. */
async function giveAddressDirectly(mailboxId: string, structureId: string, domain: string) {
  const localPart = uniqueLocalPart('legacy');
  await test.app.db.execute(sql`
    insert into mssante_addresses (mailbox_id, structure_id, local_part, domain, address, assigned_at)
    values (${mailboxId}, ${structureId}, ${localPart}, ${domain}, ${`${localPart}@${domain}`}, now())`);
  return `${localPart}@${domain}`;
}
const activeAddresses = async (mailboxId: string) =>
  (
    await selectRows<{ address: string }>(
      test.app.db,
      sql`select address from mssante_addresses where mailbox_id = ${mailboxId} and withdrawn_at is null`,
    )
  ).map((row) => row.address);

describe('which statuses may be given an MSSanté address', () => {
  it('refuses a rejected and a pending box (422 naming status), taking no quota place', async () => {
    const structure = await createStructure(test, { quotas: { personal: 5 } });
    const pending = await signUp(structure.id);
    const rejected = await signUp(structure.id);
    await act(rejected.id, 'reject').expect(200);
    for (const box of [pending, rejected]) {
      const refused = await put(box.id, uniqueLocalPart()).expect(422);
      expect(refused.body.code).toBe('BUSINESS_RULE_VIOLATED');
      expect(refused.body.errors).toEqual([
        expect.objectContaining({ field: 'status', code: 'STATUS_FORBIDS_CORRESPONDENCE' }),
      ]);
      expect((await getMailbox(box.id)).correspondence).toBeNull();
    }
    expect(await personalUsed(structure.id)).toBe(0);
  });

  it('gives one to a preregistered and a valid box', async () => {
    const { id: structureId } = await createStructure(test);
    const preregistered = await createMailbox(test, structureId);
    const valid = await createValidMailbox(test, structureId);
    await put(preregistered.id, uniqueLocalPart()).expect(200);
    await put(valid.id, uniqueLocalPart()).expect(200);
    expect(await personalUsed(structureId)).toBe(2);
  });

  it('lets a deactivated box keep its address, counted, but gives it no new one until reactivated', async () => {
    const { id: structureId } = await createStructure(test);
    const box = await createValidMailbox(test, structureId);
    const localPart = uniqueLocalPart();
    await assignCorrespondence(test, box.id, localPart);
    await act(box.id, 'deactivate').expect(200);
    expect((await getMailbox(box.id)).correspondence).toMatchObject({ localPart });
    expect(await personalUsed(structureId)).toBe(1);
    await put(box.id, localPart).expect(200);
    const refused = await put(box.id, uniqueLocalPart('new')).expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'status', code: 'STATUS_FORBIDS_CORRESPONDENCE' });
    await act(box.id, 'reactivate').expect(200);
    await put(box.id, uniqueLocalPart('new')).expect(200);
  });
});

describe('a status that may not hold an address', () => {
  it('does not count in the quota, and a rejection withdraws it', async () => {
    const structure = await createStructure(test, { quotas: { personal: 1 } });
    const pending = await signUp(structure.id);
    const address = await giveAddressDirectly(pending.id, structure.id, structure.domains[0]!);
    expect(await personalUsed(structure.id)).toBe(0);
    // The place it does not count is free for a box that may hold one.
    const valid = await createValidMailbox(test, structure.id);
    await put(valid.id, uniqueLocalPart()).expect(200);

    const rejected = await act(pending.id, 'reject').expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', correspondence: null });
    expect(await activeAddresses(pending.id)).toEqual([]);
    const view = await test.http.get(`/v1/mailboxes/${pending.id}/correspondence`).set(asOperator()).expect(200);
    expect(view.body.history.map((entry: { address: string }) => entry.address)).toEqual([address]);
  });

  it('withdraws it when a reactivation goes back to pending', async () => {
    const structure = await createStructure(test);
    const box = await signUp(structure.id);
    await act(box.id, 'deactivate').expect(200);
    await giveAddressDirectly(box.id, structure.id, structure.domains[0]!);
    const reactivated = await act(box.id, 'reactivate').expect(200);
    expect(reactivated.body).toMatchObject({ status: 'pending', correspondence: null });
    expect(await activeAddresses(box.id)).toEqual([]);
  });

  it('is not brought back by a restore to such a status, the audit naming the address left behind', async () => {
    const structure = await createStructure(test);
    const box = await signUp(structure.id);
    const address = await giveAddressDirectly(box.id, structure.id, structure.domains[0]!);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const restored = await test.http.post(`/v1/mailboxes/${box.id}/restore`).set(asOperator()).send({}).expect(200);
    expect(restored.body).toMatchObject({ status: 'pending', correspondence: null });
    const events = await test.http
      .get(`/v1/audit-events?mailboxId=${box.id}&action=mailbox.restored`)
      .set(asOperator())
      .expect(200);
    expect(events.body.items[0].cause).toEqual({ correspondenceNotRestored: address });
  });

  it('brings a valid box back with its address', async () => {
    const { id: structureId } = await createStructure(test);
    const box = await createValidMailbox(test, structureId);
    const localPart = uniqueLocalPart();
    await assignCorrespondence(test, box.id, localPart);
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const restored = await test.http.post(`/v1/mailboxes/${box.id}/restore`).set(asOperator()).send({}).expect(200);
    expect(restored.body).toMatchObject({ status: 'valid', correspondence: { localPart } });
  });
});

describe('the import follows the same rule', () => {
  it('refuses a new address for a rejected box (AC), keeps a deactivated box its own, and gives created rows theirs', async () => {
    const structure = await createStructure(test);
    const rejected = await test.http
      .post('/v1/registrations')
      .send(mailboxBody(structure.id, 'PER', { firstName: 'Rejet' }))
      .expect(201);
    await act(rejected.body.id, 'reject').expect(200);
    const deactivated = await createValidMailbox(test, structure.id);
    const kept = uniqueLocalPart('kept');
    await assignCorrespondence(test, deactivated.id, kept);
    await act(deactivated.id, 'deactivate').expect(200);
    const row = (email: string, localPart: string, cells: Record<string, string> = {}) => ({
      A: email,
      B: 'Dupont',
      C: 'Jean',
      S: 'INT',
      AC: localPart,
      ...cells,
    });
    const rejectedRow = { ...row(rejected.body.email, uniqueLocalPart()), C: 'Rejet', S: 'PER' };
    const deactivatedRow = row(deactivated.email, kept, { S: 'PER' });
    const createdRow = row(`cree.${Date.now()}@hopital.example.fr`, uniqueLocalPart('cree'));
    // Columns the boxes already hold are left empty: only the address is in question.
    const done = await runImport(test, structure.id, loaduserCsv([rejectedRow, deactivatedRow, createdRow]), {
      onError: 'skip',
    });
    const rows = await importRows(test, done.id);
    expect(rows.map((result) => [result.rowNumber, result.outcome])).toEqual([
      [2, 'failed'],
      [3, 'unchanged'],
      [4, 'created'],
    ]);
    expect(rows[0]!.errors).toEqual([expect.objectContaining({ column: 'AC', code: 'STATUS_FORBIDS_CORRESPONDENCE' })]);
    expect((await getMailbox(rejected.body.id)).correspondence).toBeNull();
    expect((await getMailbox(deactivated.id)).correspondence).toMatchObject({ localPart: kept });
    expect((await getMailbox(rows[2]!.mailboxId!)).correspondence).toMatchObject({ localPart: createdRow.AC });
  });
});
