import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createMailbox,
  createStructure,
  uniqueDomain,
  uniqueLocalPart,
  validRpps,
} from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const setDomains = (structureId: string, domains: string[]) =>
  test.http.patch(`/v1/structures/${structureId}`).set(asOperator()).send({ domains }).expect(200);
const correspondenceOf = async (mailboxId: string) =>
  (await test.http.get(`/v1/mailboxes/${mailboxId}/correspondence`).set(asOperator()).expect(200)).body;

/** A box holding an address on a domain that then moves from its structure to `target` (the operator's doing). */
async function boxWithMovedDomain(targetQuotas: Record<string, number | null> = {}) {
  const kept = uniqueDomain();
  const moving = uniqueDomain();
  const from = await createStructure(test, { domains: [kept, moving] });
  const box = await createMailbox(test, from.id, 'PER');
  const assigned = await assignCorrespondence(test, box.id, uniqueLocalPart(), moving);
  await setDomains(from.id, [kept]);
  const target = await createStructure(test, { domains: [uniqueDomain()], quotas: targetQuotas });
  await setDomains(target.id, [target.domains[0]!, moving]);
  return { from, target, box, address: assigned.current.address };
}

describe('transfer and the MSSanté address', () => {
  it("keeps the address when the target owns its domain, in the target's quota", async () => {
    const { target, box, address } = await boxWithMovedDomain();
    const moved = await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(asOperator())
      .send({ structureId: target.id })
      .expect(200);
    expect(moved.body.correspondence.address).toBe(address);
    expect(await correspondenceOf(box.id)).toMatchObject({ current: { address }, history: [] });
    const panel = await test.http.get(`/v1/structures/${target.id}/mssante`).set(asOperator());
    expect(panel.body.quotas.personal.used).toBe(1);
  });

  it("refuses the transfer when the target's quota has no room for the address, changing nothing", async () => {
    const { from, target, box, address } = await boxWithMovedDomain({ personal: 0 });
    const refused = await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(asOperator())
      .send({ structureId: target.id })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED', family: 'personal' });
    const read = await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator());
    expect(read.body).toMatchObject({ structureId: from.id, correspondence: { address } });
  });

  it('withdraws the address when the target does not own its domain', async () => {
    const from = await createStructure(test);
    const target = await createStructure(test);
    const box = await createMailbox(test, from.id, 'PER');
    await assignCorrespondence(test, box.id, uniqueLocalPart());
    const moved = await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(asOperator())
      .send({ structureId: target.id })
      .expect(200);
    expect(moved.body.correspondence).toBeNull();
    // The withdrawn address stays in the history of the structure it belonged to, not the new one's.
    expect(await correspondenceOf(box.id)).toEqual({ mailboxId: box.id, current: null, history: [] });
    const panel = await test.http.get(`/v1/structures/${from.id}/mssante`).set(asOperator());
    expect(panel.body.quotas.personal.used).toBe(0);
    await assignCorrespondence(test, box.id, uniqueLocalPart(), target.domains[0]);
  });
});

describe('type change and the MSSanté address', () => {
  it('refuses to make a box with an address MED, and accepts once the address is withdrawn', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    await assignCorrespondence(test, box.id, uniqueLocalPart());
    const refused = await test.http
      .post(`/v1/mailboxes/${box.id}/type-change`)
      .set(asOperator())
      .send({ type: 'MED', rpps: null })
      .expect(422);
    expect(refused.body.errors[0]).toMatchObject({ field: 'type', code: 'CORRESPONDENCE_FORBIDDEN' });
    await test.http.delete(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    await test.http
      .post(`/v1/mailboxes/${box.id}/type-change`)
      .set(asOperator())
      .send({ type: 'MED', rpps: null })
      .expect(200);
  });

  it('refuses a change to a family whose quota is full, but not within a family', async () => {
    const structure = await createStructure(test, { quotas: { personal: 5, organisational: 1 } });
    const org = await createMailbox(test, structure.id, 'ORG');
    await assignCorrespondence(test, org.id, uniqueLocalPart('org'));
    const box = await createMailbox(test, structure.id, 'PER');
    await assignCorrespondence(test, box.id, uniqueLocalPart('per'));
    const refused = await test.http
      .post(`/v1/mailboxes/${box.id}/type-change`)
      .set(asOperator())
      .send({ type: 'ORG', description: 'Accueil', responsible: { lastName: 'Roux', firstName: 'Léa' } })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'QUOTA_EXCEEDED', family: 'organisational' });
    expect((await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator())).body.type).toBe('PER');
    await test.http.post(`/v1/mailboxes/${box.id}/type-change`).set(asOperator()).send({ type: 'INT' }).expect(200);
    const back = await test.http
      .post(`/v1/mailboxes/${box.id}/type-change`)
      .set(asOperator())
      .send({ type: 'PER', rpps: validRpps() })
      .expect(200);
    expect(back.body.correspondence).not.toBeNull();
  });
});
