import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createMailbox, createStructure } from '../../../test/factories';

/**
 * The nominative side of connection accounts: "l'ensemble des comptes auxquels vous avez accès",
 * where the login picks the box it opens by default and the boxes whose mail it is told about.
 */
let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const accessible = (loginId: string, query = '') =>
  test.http.get(`/v1/mailboxes/${loginId}/accessible-mailboxes${query}`).set(asOperator());
const patch = (loginId: string, sharedId: string, body: object) =>
  test.http.patch(`/v1/mailboxes/${loginId}/accessible-mailboxes/${sharedId}`).set(asOperator()).send(body);
const link = (sharedId: string, accountId: string, flags: object = {}) =>
  test.http
    .post(`/v1/mailboxes/${sharedId}/connection-accounts`)
    .set(asOperator())
    .send({ mailboxId: accountId, ...flags })
    .expect(201);
const sharedSide = async (sharedId: string) =>
  (await test.http.get(`/v1/mailboxes/${sharedId}/connection-accounts`).set(asOperator()).expect(200)).body.items;
const flagsOf = async (loginId: string) =>
  Object.fromEntries(
    (
      (await accessible(loginId, '?limit=500').expect(200)).body.items as {
        mailboxId: string;
        isDefault: boolean;
        notifyOnReceipt: boolean;
      }[]
    ).map((item) => [item.mailboxId, [item.isDefault, item.notifyOnReceipt]]),
  );

async function loginWithTwoBoxes() {
  const { id: structureId } = await createStructure(test);
  const login = await createMailbox(test, structureId, 'PER');
  const secretariat = await createMailbox(test, structureId, 'ORG', { email: `b.secretariat.${Date.now()}@h.fr` });
  const labo = await createMailbox(test, structureId, 'APP', { email: `a.labo.${Date.now()}@h.fr` });
  await link(secretariat.id, login.id, { isDefault: true });
  await link(labo.id, login.id, { notifyOnReceipt: true });
  return { structureId, login, secretariat, labo };
}

describe('GET /v1/mailboxes/{id}/accessible-mailboxes', () => {
  it('lists the shared boxes the login opens, in e-mail order, with the settings the shared side shows', async () => {
    const { login, secretariat, labo } = await loginWithTwoBoxes();
    const page = await accessible(login.id).expect(200);
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items).toEqual([
      expect.objectContaining({
        mailboxId: labo.id,
        email: labo.email,
        lastName: 'Résultats labo',
        type: 'APP',
        status: 'preregistered',
        isDefault: false,
        notifyOnReceipt: true,
      }),
      expect.objectContaining({ mailboxId: secretariat.id, type: 'ORG', isDefault: true, notifyOnReceipt: false }),
    ]);
    const [fromShared] = await sharedSide(secretariat.id);
    expect(fromShared).toMatchObject({ mailboxId: login.id, isDefault: true, createdAt: page.body.items[1].createdAt });
  });

  it('pages, and is empty for a box that is no login', async () => {
    const { login, secretariat, labo } = await loginWithTwoBoxes();
    const first = await accessible(login.id, '?limit=1').expect(200);
    expect(first.body.items.map((item: { mailboxId: string }) => item.mailboxId)).toEqual([labo.id]);
    const second = await accessible(login.id, `?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ mailboxId: secretariat.id })], nextCursor: null });
    await accessible(secretariat.id).expect(200, { items: [], nextCursor: null });
  });

  it('answers 404 for an unknown box', async () => {
    await accessible('00000000-0000-4000-8000-000000000000').expect(404);
  });
});

describe('PATCH /v1/mailboxes/{id}/accessible-mailboxes/{sharedMailboxId}', () => {
  it('moves the default to the box chosen, unsetting the previous one, both audited', async () => {
    const { login, secretariat, labo } = await loginWithTwoBoxes();
    const chosen = await patch(login.id, labo.id, { isDefault: true }).expect(200);
    expect(chosen.body).toMatchObject({ mailboxId: labo.id, isDefault: true, notifyOnReceipt: true });
    expect(await flagsOf(login.id)).toEqual({ [labo.id]: [true, true], [secretariat.id]: [false, false] });
    expect((await sharedSide(secretariat.id))[0]).toMatchObject({ isDefault: false });

    const events = await test.http
      .get(`/v1/audit-events?action=connection_account.updated&structureId=${login.structureId}`)
      .set(asOperator())
      .expect(200);
    expect(
      events.body.items.map((event: { mailboxId: string; targetId: string; before: object; after: object }) => [
        event.mailboxId,
        event.targetId,
        event.before,
        event.after,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          secretariat.id,
          login.id,
          expect.objectContaining({ isDefault: true }),
          expect.objectContaining({ isDefault: false }),
        ],
        [
          labo.id,
          login.id,
          expect.objectContaining({ isDefault: false }),
          expect.objectContaining({ isDefault: true }),
        ],
      ]),
    );
    expect(events.body.items).toHaveLength(2);
  });

  it('returns the login to its own box, and sets the receipt notification alone', async () => {
    const { login, secretariat, labo } = await loginWithTwoBoxes();
    await patch(login.id, secretariat.id, { isDefault: false }).expect(200, /"isDefault":false/);
    await patch(login.id, secretariat.id, { notifyOnReceipt: true }).expect(200);
    expect(await flagsOf(login.id)).toEqual({ [secretariat.id]: [false, true], [labo.id]: [false, true] });
  });

  it('changes nothing and audits nothing when the flags are already so', async () => {
    const { login, secretariat } = await loginWithTwoBoxes();
    await patch(login.id, secretariat.id, { isDefault: true, notifyOnReceipt: false }).expect(200);
    const events = await test.http
      .get(`/v1/audit-events?mailboxId=${secretariat.id}&action=connection_account.updated`)
      .set(asOperator())
      .expect(200);
    expect(events.body.items).toEqual([]);
  });

  it('refuses a box the login does not open (404), an empty body or unknown flag (400), a deleted login (409)', async () => {
    const { structureId, login, secretariat } = await loginWithTwoBoxes();
    const stranger = await createMailbox(test, structureId, 'ORG');
    await patch(login.id, stranger.id, { isDefault: true }).expect(404);
    await patch(login.id, secretariat.id, {}).expect(400);
    await patch(login.id, secretariat.id, { isDefault: true, colour: 'blue' }).expect(400);
    await test.http.delete(`/v1/mailboxes/${login.id}`).set(asOperator()).expect(200);
    await patch(login.id, secretariat.id, { notifyOnReceipt: true }).expect(409);
  });

  it('keeps the shared side refusing a second default (409), as before', async () => {
    const { structureId, login } = await loginWithTwoBoxes();
    const third = await createMailbox(test, structureId, 'ORG');
    const refused = await test.http
      .post(`/v1/mailboxes/${third.id}/connection-accounts`)
      .set(asOperator())
      .send({ mailboxId: login.id, isDefault: true })
      .expect(409);
    expect(refused.body.code).toBe('DEFAULT_TAKEN');
  });
});
