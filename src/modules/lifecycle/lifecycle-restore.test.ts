import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { ManualClock } from '../../shared/clock';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  assignCorrespondence,
  createApiKey,
  createMailbox,
  createStructure,
  mailboxBody,
  runLifecycleSweep,
  uniqueLocalPart,
} from '../../../test/factories';

const clock = new ManualClock('2026-03-02T09:00:00.000Z');
let test: TestApp;
let structureId: string;
let adminKey: string;
beforeAll(async () => {
  test = await createTestApp({ clock });
  structureId = (await createStructure(test)).id;
  adminKey = (await createApiKey(test, 'admin', [structureId])).key;
});
afterAll(() => test.close());

const asOperator = () => bearer(test.operatorKey);
const getBox = async (id: string) => (await test.http.get(`/v1/mailboxes/${id}`).set(asOperator()).expect(200)).body;
const restore = (id: string, body?: object, key = test.operatorKey) => {
  const request = test.http.post(`/v1/mailboxes/${id}/restore`).set(bearer(key));
  return body ? request.send(body) : request;
};
const remove = (id: string) => test.http.delete(`/v1/mailboxes/${id}`).set(asOperator()).expect(200);
const auditActions = async (id: string) =>
  ((await test.http.get(`/v1/audit-events?mailboxId=${id}`).set(asOperator())).body.items as { action: string }[]).map(
    (event) => event.action,
  );
const addressRows = (id: string) =>
  selectRows<{ address: string; withdrawn_at: string | null }>(
    test.app.db,
    sql`select address, withdrawn_at from mssante_addresses where mailbox_id = ${id} order by assigned_at`,
  );

async function validBoxWithAddress(localPart = uniqueLocalPart()) {
  const signUp = await test.http.post('/v1/registrations').send(mailboxBody(structureId)).expect(201);
  await test.http.post(`/v1/mailboxes/${signUp.body.id}/validate`).set(asOperator()).expect(200);
  await assignCorrespondence(test, signUp.body.id, localPart);
  return { id: signUp.body.id as string, email: signUp.body.email as string, localPart };
}

describe('restoring a deleted mailbox', () => {
  it('brings a box the sweep deleted back to its former status with its address, and gives it a fresh year', async () => {
    const box = await validBoxWithAddress();
    clock.advanceDays(366);
    expect((await runLifecycleSweep(test)).deleted.mailboxIds).toContain(box.id);

    const restored = await restore(box.id, undefined, adminKey).expect(200);
    expect(restored.body).toMatchObject({ status: 'valid', correspondence: { localPart: box.localPart } });
    expect(restored.headers.etag).toMatch(/^"\d+"$/);
    const rows = await addressRows(box.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.withdrawn_at).not.toBeNull();
    expect(rows[1]).toMatchObject({ address: rows[0]!.address, withdrawn_at: null });
    const [event] = (
      await test.http.get(`/v1/audit-events?mailboxId=${box.id}&action=mailbox.restored`).set(asOperator())
    ).body.items;
    expect(event).toMatchObject({
      actor: { type: 'api_key' },
      before: { status: 'deleted' },
      after: { status: 'valid' },
    });

    expect((await runLifecycleSweep(test)).deleted.mailboxIds).not.toContain(box.id);
    clock.advanceDays(300);
    expect((await runLifecycleSweep(test)).deleted.mailboxIds).not.toContain(box.id);
    await restore(box.id).expect(409, /INVALID_TRANSITION/);
  });

  it('refuses when the e-mail was taken meanwhile, and changes nothing', async () => {
    const box = await validBoxWithAddress();
    await remove(box.id);
    await createMailbox(test, structureId, 'PER', { email: box.email.toUpperCase() });
    const refused = await restore(box.id).expect(409);
    expect(refused.body).toMatchObject({ code: 'EMAIL_TAKEN' });
    expect(await getBox(box.id)).toMatchObject({ status: 'deleted', correspondence: null });
    expect(await auditActions(box.id)).not.toContain('mailbox.restored');
  });

  it("refuses when the address is another box's now, unless asked to restore without it", async () => {
    const box = await validBoxWithAddress();
    await remove(box.id);
    const taker = await createMailbox(test, structureId);
    await assignCorrespondence(test, taker.id, box.localPart);
    await restore(box.id).expect(409, /ADDRESS_TAKEN/);
    expect(await getBox(box.id)).toMatchObject({ status: 'deleted' });

    const restored = await restore(box.id, { withoutCorrespondence: true }).expect(200);
    expect(restored.body).toMatchObject({ status: 'valid', correspondence: null });
    const [event] = (
      await test.http.get(`/v1/audit-events?mailboxId=${box.id}&action=mailbox.restored`).set(asOperator())
    ).body.items;
    expect(event.cause.correspondenceNotRestored).toContain(box.localPart);
  });

  it("refuses when the structure's quota is used up meanwhile, unless asked to restore without the address", async () => {
    const small = await createStructure(test, { quotas: { personal: 1 } });
    const box = await createMailbox(test, small.id);
    await assignCorrespondence(test, box.id, uniqueLocalPart());
    await remove(box.id);
    const other = await createMailbox(test, small.id);
    await assignCorrespondence(test, other.id, uniqueLocalPart());
    await restore(box.id).expect(422, /QUOTA_EXCEEDED/);
    await restore(box.id, { withoutCorrespondence: true }).expect(200, /"correspondence":null/);
  });

  const removed = async (id: string) => (await remove(id), id);
  it.each([
    ['a box that is not deleted', 409, 'INVALID_TRANSITION', { prepare: async (id: string) => id }],
    ['a stale If-Match', 412, 'PRECONDITION_FAILED', { prepare: removed, headers: { 'If-Match': '"1"' } }],
    ['an unknown body field', 400, 'VALIDATION_FAILED', { prepare: removed, body: { force: true } }],
  ])(
    'answers %s with %s',
    async (
      _case,
      status,
      code,
      {
        prepare,
        headers,
        body,
      }: { prepare: (id: string) => Promise<string>; headers?: Record<string, string>; body?: object },
    ) => {
      const box = await createMailbox(test, structureId);
      const id = await prepare(box.id);
      const request = test.http
        .post(`/v1/mailboxes/${id}/restore`)
        .set(asOperator())
        .set(headers ?? {});
      const response = await (body ? request.send(body) : request);
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
    },
  );

  it('refuses past the retention period, even before the purge', async () => {
    const box = await createMailbox(test, structureId);
    await remove(box.id);
    clock.advanceDays(200);
    const refused = await restore(box.id).expect(409);
    expect(refused.body).toMatchObject({ code: 'RETENTION_EXPIRED', purged: false });
  });

  it('restores once when two restores race', async () => {
    const box = await validBoxWithAddress();
    await remove(box.id);
    const statuses = (await Promise.all([restore(box.id), restore(box.id)])).map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409]);
    expect((await auditActions(box.id)).filter((action) => action === 'mailbox.restored')).toHaveLength(1);
  });

  it('leaves the box deleted when the restore fails mid-way', async () => {
    const box = await validBoxWithAddress();
    await remove(box.id);
    await test.app.db.execute(
      sql.raw(`
      create function fail_address_insert() returns trigger language plpgsql as $$
      begin raise exception 'address store down'; end $$`),
    );
    await test.app.db.execute(
      sql.raw(
        'create trigger fail_address_insert before insert on mssante_addresses for each row execute function fail_address_insert()',
      ),
    );
    try {
      await restore(box.id).expect(500);
    } finally {
      await test.app.db.execute(sql.raw('drop trigger fail_address_insert on mssante_addresses'));
      await test.app.db.execute(sql.raw('drop function fail_address_insert()'));
    }
    expect(await getBox(box.id)).toMatchObject({ status: 'deleted', correspondence: null });
    expect(await auditActions(box.id)).not.toContain('mailbox.restored');
    await restore(box.id).expect(200, /"status":"valid"/);
  });
});
