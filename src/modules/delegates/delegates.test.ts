import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure, type MailboxKind } from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const path = (mailboxId: string) => `/v1/mailboxes/${mailboxId}/delegates`;
const add = (mailboxId: string, body: object) => test.http.post(path(mailboxId)).set(asOperator()).send(body);
const listOf = async (mailboxId: string) =>
  (
    await test.http
      .get(`${path(mailboxId)}?limit=500`)
      .set(asOperator())
      .expect(200)
  ).body.items;
const auditOf = async (mailboxId: string, action: string) =>
  (await test.http.get(`/v1/audit-events?mailboxId=${mailboxId}&action=${action}`).set(asOperator()).expect(200)).body
    .items;

describe('POST /v1/mailboxes/{id}/delegates', () => {
  it('adds delegates by id or by e-mail, listed in e-mail order and audited', async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const med = await createMailbox(test, structure.id, 'MED');
    const int = await createMailbox(test, structure.id, 'INT');
    const added = await add(owner.id, { delegateMailboxId: med.id }).expect(201);
    expect(added.body).toMatchObject({
      delegateMailboxId: med.id,
      email: med.email,
      type: 'MED',
      status: 'preregistered',
    });
    await add(owner.id, { email: int.email }).expect(201);
    const items = await listOf(owner.id);
    expect(items.map((item: { email: string }) => item.email)).toEqual([med.email, int.email].sort());
    const [event] = await auditOf(owner.id, 'delegate.added');
    expect(event).toMatchObject({
      structureId: structure.id,
      mailboxId: owner.id,
      targetId: int.id,
      after: { delegateMailboxId: int.id },
    });
  });

  it('pages the list', async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'MED');
    for (let index = 0; index < 3; index += 1) {
      await add(owner.id, { delegateMailboxId: (await createMailbox(test, structure.id, 'PER')).id }).expect(201);
    }
    const first = await test.http
      .get(`${path(owner.id)}?limit=2`)
      .set(asOperator())
      .expect(200);
    const second = await test.http
      .get(`${path(owner.id)}?limit=2&cursor=${first.body.nextCursor}`)
      .set(asOperator())
      .expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(second.body).toMatchObject({ items: [expect.any(Object)], nextCursor: null });
    expect(
      new Set(
        [...first.body.items, ...second.body.items].map(
          (item: { delegateMailboxId: string }) => item.delegateMailboxId,
        ),
      ).size,
    ).toBe(3);
  });

  it('refuses self-delegation', async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const response = await add(owner.id, { delegateMailboxId: owner.id }).expect(422);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'delegateMailboxId', code: 'SELF_DELEGATION' }),
    ]);
    expect((await add(owner.id, { email: owner.email }).expect(422)).body.errors[0]).toMatchObject({
      field: 'email',
      code: 'SELF_DELEGATION',
    });
  });

  it("reports another structure's box exactly as an unknown one", async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const elsewhere = await createMailbox(test, (await createStructure(test)).id, 'PER');
    const foreign = await add(owner.id, { delegateMailboxId: elsewhere.id }).expect(422);
    const unknown = await add(owner.id, { delegateMailboxId: '00000000-0000-4000-8000-000000000000' }).expect(422);
    expect(foreign.body.errors).toEqual(unknown.body.errors);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'delegateMailboxId', code: 'DELEGATE_UNKNOWN' });
    expect((await add(owner.id, { email: elsewhere.email }).expect(422)).body.errors[0]).toMatchObject({
      field: 'email',
      code: 'DELEGATE_UNKNOWN',
    });
  });

  it.each<[string, MailboxKind, string]>([
    ['an ORG box', 'ORG', 'DELEGATE_NOT_NOMINATIVE'],
    ['an APP box', 'APP', 'DELEGATE_NOT_NOMINATIVE'],
  ])('refuses %s as a delegate', async (_case, type, code) => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const other = await createMailbox(test, structure.id, type);
    expect((await add(owner.id, { delegateMailboxId: other.id }).expect(422)).body.errors[0].code).toBe(code);
    expect(await listOf(owner.id)).toEqual([]);
  });

  it.each([['deactivate'], ['delete']])('refuses a delegate after %s', async (action) => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const delegate = await createMailbox(test, structure.id, 'PER');
    if (action === 'delete') await test.http.delete(`/v1/mailboxes/${delegate.id}`).set(asOperator()).expect(200);
    else await test.http.post(`/v1/mailboxes/${delegate.id}/deactivate`).set(asOperator()).expect(200);
    const response = await add(owner.id, { delegateMailboxId: delegate.id }).expect(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'delegateMailboxId', code: 'DELEGATE_INACTIVE' });
    expect(await auditOf(owner.id, 'delegate.added')).toHaveLength(0);
  });

  it('gives no delegates to ORG and APP boxes, nor to a deleted box', async () => {
    const structure = await createStructure(test);
    const delegate = await createMailbox(test, structure.id, 'PER');
    for (const type of ['ORG', 'APP'] as const) {
      const shared = await createMailbox(test, structure.id, type);
      const response = await add(shared.id, { delegateMailboxId: delegate.id }).expect(422);
      expect(response.body.errors[0]).toMatchObject({ field: 'type', code: 'NOT_A_NOMINATIVE_MAILBOX' });
    }
    const deleted = await createMailbox(test, structure.id, 'PER');
    await test.http.delete(`/v1/mailboxes/${deleted.id}`).set(asOperator()).expect(200);
    expect((await add(deleted.id, { delegateMailboxId: delegate.id }).expect(409)).body.code).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('refuses a delegate listed already (409), and a body naming it twice or not at all (400)', async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const delegate = await createMailbox(test, structure.id, 'PER');
    await add(owner.id, { delegateMailboxId: delegate.id }).expect(201);
    expect((await add(owner.id, { email: delegate.email }).expect(409)).body).toMatchObject({ code: 'ALREADY_LINKED' });
    expect((await add(owner.id, {}).expect(400)).body.errors[0]).toMatchObject({
      field: 'delegateMailboxId',
      code: 'MAILBOX_REFERENCE_REQUIRED',
    });
    await add(owner.id, { delegateMailboxId: delegate.id, email: delegate.email }).expect(400);
    expect(await listOf(owner.id)).toHaveLength(1);
  });
});

describe('DELETE /v1/mailboxes/{id}/delegates/{delegateMailboxId}', () => {
  it('removes a delegate, audited; one not listed is a 404', async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const delegate = await createMailbox(test, structure.id, 'INT');
    await add(owner.id, { delegateMailboxId: delegate.id }).expect(201);
    await test.http
      .delete(`${path(owner.id)}/${delegate.id}`)
      .set(asOperator())
      .expect(204);
    expect(await listOf(owner.id)).toEqual([]);
    const [event] = await auditOf(owner.id, 'delegate.removed');
    expect(event).toMatchObject({ targetId: delegate.id, before: { delegateMailboxId: delegate.id }, after: null });
    await test.http
      .delete(`${path(owner.id)}/${delegate.id}`)
      .set(asOperator())
      .expect(404);
  });

  it('lets the links go with a type change that makes the delegate non-nominative', async () => {
    const structure = await createStructure(test);
    const owner = await createMailbox(test, structure.id, 'PER');
    const delegate = await createMailbox(test, structure.id, 'MED');
    await add(owner.id, { delegateMailboxId: delegate.id }).expect(201);
    await test.http
      .post(`/v1/mailboxes/${delegate.id}/type-change`)
      .set(asOperator())
      .send({ type: 'ORG', description: 'Accueil', responsible: { lastName: 'Roux', firstName: 'Léa' } })
      .expect(200);
    expect(await listOf(owner.id)).toEqual([]);
  });
});
