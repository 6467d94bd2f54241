import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createMailbox, createStructure, validRpps } from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);

describe('type change', () => {
  it('turns a PER box into an ORG box with the fields ORG needs, dropping its RPPS', async () => {
    const structure = await createStructure(test);
    const box = await createMailbox(test, structure.id, 'PER');
    const changed = await test.http
      .post(`/v1/mailboxes/${box.id}/type-change`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .send({
        type: 'ORG',
        lastName: 'Secrétariat',
        description: 'Accueil',
        responsible: { lastName: 'Roux', firstName: 'Léa' },
      })
      .expect(200);
    expect(changed.body).toMatchObject({
      type: 'ORG',
      rpps: null,
      lastName: 'Secrétariat',
      description: 'Accueil',
      responsible: { lastName: 'Roux' },
    });
    const events = await test.http
      .get(`/v1/audit-events?mailboxId=${box.id}&action=mailbox.type_changed`)
      .set(asOperator());
    expect(events.body.items[0]).toMatchObject({ before: { type: 'PER' }, after: { type: 'ORG' } });
  });

  it('needs the fields of the new type, and a new type', async () => {
    const structure = await createStructure(test);
    const org = await createMailbox(test, structure.id, 'ORG');
    const missing = await test.http
      .post(`/v1/mailboxes/${org.id}/type-change`)
      .set(asOperator())
      .send({ type: 'PER' })
      .expect(422);
    expect(missing.body.errors).toContainEqual(
      expect.objectContaining({ field: 'rpps', code: 'NATIONAL_ID_REQUIRED' }),
    );
    const ok = await test.http
      .post(`/v1/mailboxes/${org.id}/type-change`)
      .set(asOperator())
      .send({ type: 'PER', rpps: validRpps() })
      .expect(200);
    expect(ok.body).toMatchObject({ type: 'PER', responsible: null, description: null });
    const same = await test.http
      .post(`/v1/mailboxes/${org.id}/type-change`)
      .set(asOperator())
      .send({ type: 'PER' })
      .expect(422);
    expect(same.body.errors[0].code).toBe('TYPE_UNCHANGED');
    await test.http
      .post(`/v1/mailboxes/${org.id}/type-change`)
      .set(asOperator())
      .set('If-Match', '"1"')
      .send({ type: 'MED' })
      .expect(412);
  });
});

describe('transfer', () => {
  it('attaches a box to another structure the caller administers, auditing both sides', async () => {
    const from = await createStructure(test);
    const to = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [from.id, to.id]);
    const box = await createMailbox(test, from.id, 'MED');
    const moved = await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(bearer(admin.key))
      .send({ structureId: to.id })
      .expect(200);
    expect(moved.body.structureId).toBe(to.id);
    const toEvents = await test.http
      .get(`/v1/audit-events?structureId=${to.id}&action=mailbox.transferred`)
      .set(asOperator());
    expect(toEvents.body.items[0].cause).toMatchObject({ fromStructureId: from.id });
    const fromEvents = await test.http
      .get(`/v1/audit-events?structureId=${from.id}&action=mailbox.transferred_out`)
      .set(asOperator());
    expect(fromEvents.body.items).toHaveLength(1);
    await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(bearer(admin.key))
      .send({ structureId: to.id })
      .expect(422);
  });

  it('needs the caller to administer both structures', async () => {
    const from = await createStructure(test);
    const to = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [from.id]);
    const box = await createMailbox(test, from.id, 'MED');
    await test.http
      .post(`/v1/mailboxes/${box.id}/transfer`)
      .set(bearer(admin.key))
      .send({ structureId: to.id })
      .expect(404);
    const read = await test.http.get(`/v1/mailboxes/${box.id}`).set(asOperator());
    expect(read.body.structureId).toBe(from.id);
  });
});
