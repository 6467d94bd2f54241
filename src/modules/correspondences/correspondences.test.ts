import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createMailbox,
  createStructure,
  uniqueDomain,
  uniqueLocalPart,
} from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const put = (mailboxId: string, body: object) =>
  test.http.put(`/v1/mailboxes/${mailboxId}/correspondence`).set(asOperator()).send(body);
const auditOf = async (mailboxId: string, action: string) =>
  (await test.http.get(`/v1/audit-events?mailboxId=${mailboxId}&action=${action}`).set(asOperator()).expect(200)).body
    .items;

describe('PUT /v1/mailboxes/{id}/correspondence', () => {
  it('gives a box its address, shown by the correspondence, the mailbox and the audit trail', async () => {
    const structure = await createStructure(test, { domains: [uniqueDomain(), uniqueDomain()] });
    const box = await createMailbox(test, structure.id, 'PER');
    const localPart = uniqueLocalPart('jean.dupont');
    const domain = structure.domains[1]!;
    const response = await put(box.id, { localPart, domain }).expect(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.body).toMatchObject({
      mailboxId: box.id,
      current: { localPart, domain, address: `${localPart}@${domain}`, isTest: false },
      history: [],
    });
    const read = await test.http.get(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    expect(read.body).toEqual(response.body);
    expect(read.headers.etag).toBe('"2"');
    const mailbox = await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    expect(mailbox.body.correspondence).toEqual(response.body.current);
    expect(mailbox.headers.etag).toBe('"2"');
    const [event] = await auditOf(box.id, 'correspondence.assigned');
    expect(event).toMatchObject({
      structureId: structure.id,
      mailboxId: box.id,
      before: null,
      after: { address: `${localPart}@${domain}` },
    });
  });

  it("takes the structure's first domain when none is given, case-insensitively matches a given one", async () => {
    const structure = await createStructure(test, { domains: [uniqueDomain(), uniqueDomain()] });
    const first = await createMailbox(test, structure.id, 'ORG');
    const omitted = await put(first.id, { localPart: uniqueLocalPart('contact') }).expect(200);
    expect(omitted.body.current.domain).toBe(structure.domains[0]);
    const second = await createMailbox(test, structure.id, 'APP');
    const upper = await put(second.id, {
      localPart: uniqueLocalPart('noreply'),
      domain: structure.domains[1]!.toUpperCase(),
    }).expect(200);
    expect(upper.body.current.domain).toBe(structure.domains[1]);
  });

  it("marks a test account's address as a test address", async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'INT', { isTest: true });
    const response = await put(box.id, { localPart: uniqueLocalPart('test') }).expect(200);
    expect(response.body.current.isTest).toBe(true);
  });

  it('makes the address a test address when its box becomes a test account, and back, in the same audited change', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'INT');
    await put(box.id, { localPart: uniqueLocalPart('retag') }).expect(200);
    const toTest = await test.http
      .patch(`/v1/mailboxes/${box.id}`)
      .set(asOperator())
      .send({ isTest: true })
      .expect(200);
    expect(toTest.body).toMatchObject({ isTest: true, correspondence: { isTest: true } });
    const read = await test.http.get(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    expect(read.body.current.isTest).toBe(true);
    const [event] = await auditOf(box.id, 'mailbox.updated');
    expect(event).toMatchObject({
      before: { correspondence: { isTest: false } },
      after: { correspondence: { isTest: true } },
    });
    const back = await test.http.patch(`/v1/mailboxes/${box.id}`).set(asOperator()).send({ isTest: false }).expect(200);
    expect(back.body.correspondence.isTest).toBe(false);
  });

  it.each([
    ['an empty local part', { localPart: '' }, 'localPart', 'LOCAL_PART_REQUIRED'],
    ['capitals', { localPart: 'Jean.Dupont' }, 'localPart', 'LOCAL_PART_INVALID'],
    ['a space', { localPart: 'jean dupont' }, 'localPart', 'LOCAL_PART_INVALID'],
    ['a leading dot', { localPart: '.jean' }, 'localPart', 'LOCAL_PART_INVALID'],
    ['two dots', { localPart: 'jean..dupont' }, 'localPart', 'LOCAL_PART_INVALID'],
    ['65 characters', { localPart: 'a'.repeat(65) }, 'localPart', 'LOCAL_PART_TOO_LONG'],
    [
      'a domain of no structure',
      { localPart: 'jean', domain: 'ailleurs.mssante.fr' },
      'domain',
      'DOMAIN_NOT_OF_STRUCTURE',
    ],
  ])('refuses %s (422 naming the field)', async (_case, body, field, code) => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const response = await put(box.id, body).expect(422);
    expect(response.body).toMatchObject({
      code: 'BUSINESS_RULE_VIOLATED',
      errors: [expect.objectContaining({ field, code })],
    });
    expect((await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator())).body.correspondence).toBeNull();
  });

  it("refuses another structure's domain, and names every field at fault at once", async () => {
    const other = await createStructure(test);
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const response = await put(box.id, { localPart: 'Bad..Part', domain: other.domains[0] }).expect(422);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['domain', 'localPart']);
  });

  it('refuses a structure without domains', async () => {
    const structure = await createStructure(test, { domains: [] });
    const box = await createMailbox(test, structure.id, 'PER');
    const response = await put(box.id, { localPart: 'jean' }).expect(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'domain', code: 'DOMAIN_REQUIRED' });
  });

  it('never gives a MED box an address', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'MED');
    const response = await put(box.id, { localPart: uniqueLocalPart() }).expect(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'type', code: 'CORRESPONDENCE_FORBIDDEN' });
  });

  it('refuses a deleted box (409)', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    await test.http.delete(`/v1/mailboxes/${box.id}`).set(asOperator()).expect(200);
    const response = await put(box.id, { localPart: uniqueLocalPart() }).expect(409);
    expect(response.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'deleted' });
    await test.http.delete(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(409);
  });

  it('refuses an address another box holds (409), and frees it once withdrawn', async () => {
    const structure = await createStructure(test);
    const holder = await createMailbox(test, structure.id, 'PER');
    const other = await createMailbox(test, structure.id, 'INT');
    const localPart = uniqueLocalPart('shared');
    await assignCorrespondence(test, holder.id, localPart);
    const taken = await put(other.id, { localPart }).expect(409);
    expect(taken.body).toMatchObject({
      code: 'ADDRESS_TAKEN',
      errors: [expect.objectContaining({ field: 'localPart' })],
    });
    expect(await auditOf(other.id, 'correspondence.assigned')).toHaveLength(0);
    await test.http.delete(`/v1/mailboxes/${holder.id}/correspondence`).set(asOperator()).expect(200);
    const freed = await put(other.id, { localPart }).expect(200);
    expect(freed.body.current.address).toBe(`${localPart}@${structure.domains[0]}`);
  });

  it('answers the same address again with no change', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const localPart = uniqueLocalPart();
    const first = await put(box.id, { localPart }).expect(200);
    const again = await put(box.id, { localPart, domain: structure.domains[0] }).expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(await auditOf(box.id, 'correspondence.assigned')).toHaveLength(1);
    expect(await auditOf(box.id, 'correspondence.changed')).toHaveLength(0);
  });

  it('changes an address by withdrawing the old one into the history', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const old = await assignCorrespondence(test, box.id, uniqueLocalPart('old'));
    const changed = await put(box.id, { localPart: uniqueLocalPart('new') }).expect(200);
    expect(changed.body.current.address).not.toBe(old.current.address);
    expect(changed.body.history).toEqual([
      expect.objectContaining({ address: old.current.address, withdrawnAt: expect.any(String) }),
    ]);
    const [event] = await auditOf(box.id, 'correspondence.changed');
    expect(event).toMatchObject({
      before: { address: old.current.address },
      after: { address: changed.body.current.address },
    });
  });

  it("honours If-Match with the mailbox's ETag", async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const stale = await test.http
      .put(`/v1/mailboxes/${box.id}/correspondence`)
      .set(asOperator())
      .set('If-Match', '"7"')
      .send({ localPart: uniqueLocalPart() });
    expect(stale.status).toBe(412);
    const fresh = await test.http
      .put(`/v1/mailboxes/${box.id}/correspondence`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .send({ localPart: uniqueLocalPart() });
    expect(fresh.status).toBe(200);
    await test.http
      .delete(`/v1/mailboxes/${box.id}/correspondence`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .expect(412);
    await test.http
      .delete(`/v1/mailboxes/${box.id}/correspondence`)
      .set(asOperator())
      .set('If-Match', fresh.headers.etag as string)
      .expect(200);
  });
});

describe('DELETE /v1/mailboxes/{id}/correspondence', () => {
  it('withdraws the address and keeps it as history; again, it changes nothing', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'ORG');
    const assigned = await assignCorrespondence(test, box.id, uniqueLocalPart('contact'));
    const withdrawn = await test.http.delete(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    expect(withdrawn.body).toMatchObject({ current: null, history: [{ address: assigned.current.address }] });
    expect((await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator())).body.correspondence).toBeNull();
    const [event] = await auditOf(box.id, 'correspondence.withdrawn');
    expect(event).toMatchObject({
      structureId: structure.id,
      before: { address: assigned.current.address },
      after: null,
    });
    const again = await test.http.delete(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    expect(again.body).toEqual(withdrawn.body);
    expect(await auditOf(box.id, 'correspondence.withdrawn')).toHaveLength(1);
    const read = await test.http.get(`/v1/mailboxes/${box.id}/correspondence`).set(asOperator()).expect(200);
    expect(read.body).toEqual(withdrawn.body);
  });
});
