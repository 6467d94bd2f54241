import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { createApiKey, createStructure, uniqueEmail, validRpps } from '../../../test/factories';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { readAllPages } from '../../../test/paging';

/** The same number with another check digit: a Luhn key is unique, so any other digit is wrong. */
const withWrongKey = (rpps: string) => rpps.slice(0, 10) + String((Number(rpps[10]) + 1) % 10);

describe('administrators and operators', () => {
  let test: TestApp;
  let structureId: string;
  let adminKey: string;
  const asOperator = () => bearer(test.operatorKey);
  const administrators = (id = structureId) => `/v1/structures/${id}/administrators`;

  beforeAll(async () => {
    test = await createTestApp();
    structureId = (await createStructure(test)).id;
    adminKey = (await createApiKey(test, 'admin', [structureId])).key;
  });
  afterAll(() => test?.close());

  const trail = (targetId: string) =>
    selectRows<{ action: string; type: string; actor_type: string }>(
      test.database.db,
      sql`select a.action, e.type, e.actor_type from audit_events a join events e on e.subject_id = a.target_id and e.type = a.action
          where a.target_id = ${targetId} order by a.sequence`,
    );

  it('adds, changes, lists and removes a role, each change audited and published', async () => {
    const nationalId = `8${validRpps()}`;
    const added = await test.http.post(administrators()).set(bearer(adminKey)).send({ nationalId, role: 'reader' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ nationalId, email: null, structureId, role: 'reader' });
    const changed = await test.http.post(administrators()).set(bearer(adminKey)).send({ nationalId, role: 'admin' });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('admin');
    const listed = await test.http.get(administrators()).set(bearer(adminKey)).expect(200);
    expect(listed.body.items).toEqual([changed.body]);
    await test.http.delete(`${administrators()}/${added.body.id}`).set(bearer(adminKey)).expect(204);
    await test.http.delete(`${administrators()}/${added.body.id}`).set(bearer(adminKey)).expect(404);
    expect(await trail(added.body.id)).toEqual(
      ['administrator.added', 'administrator.role_changed', 'administrator.removed'].map((action) => ({
        action,
        type: action,
        actor_type: 'api_key',
      })),
    );
    // Without a role left, the person is forgotten: the identifier stays in the audit trail only.
    const [people] = await selectRows<{ count: number }>(
      test.database.db,
      sql`select count(*)::int as count from administrators where national_id = ${nationalId}`,
    );
    expect(people!.count).toBe(0);
  });

  it("pages through a structure's administrators one at a time without a gap or a repeat", async () => {
    const structure = (await createStructure(test)).id;
    for (let added = 0; added < 3; added += 1)
      await test.http
        .post(administrators(structure))
        .set(asOperator())
        .send({ email: uniqueEmail(), role: 'reader' })
        .expect(201);
    const whole = await test.http.get(administrators(structure)).set(asOperator()).expect(200);
    const paged = await readAllPages<{ id: string }>((cursor) =>
      test.http.get(administrators(structure)).query({ limit: 1, cursor }).set(asOperator()),
    );
    expect(whole.body.items).toHaveLength(3);
    expect(paged.map((person) => person.id)).toEqual(whole.body.items.map((person: { id: string }) => person.id));
  });

  it.each([
    ['neither identifier', { role: 'admin' }, 422, 'nationalId'],
    ['both identifiers', { nationalId: `8${validRpps()}`, email: uniqueEmail(), role: 'admin' }, 422, 'nationalId'],
    ['a wrong RPPS key', { nationalId: `8${withWrongKey(validRpps())}`, role: 'admin' }, 422, 'nationalId'],
    ['a malformed national id', { nationalId: '12345', role: 'admin' }, 400, 'nationalId'],
    ['an unknown role', { email: uniqueEmail(), role: 'operator' }, 400, 'role'],
  ])('refuses %s, naming the field', async (_case, body, status, field) => {
    const response = await test.http.post(administrators()).set(asOperator()).send(body);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.errors)).toContain(field);
  });

  it('keeps operators to operators, and audits their changes', async () => {
    const email = uniqueEmail('exploitation');
    await test.http.post('/v1/operators').set(bearer(adminKey)).send({ email }).expect(403);
    const added = await test.http.post('/v1/operators').set(asOperator()).send({ email: email.toUpperCase() });
    expect(added.status).toBe(201);
    expect(added.body.email).toBe(email);
    await test.http.post('/v1/operators').set(asOperator()).send({ email }).expect(200);
    const listed = await test.http.get('/v1/operators').set(asOperator()).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(added.body.id);
    await test.http.delete(`/v1/operators/${added.body.id}`).set(asOperator()).expect(204);
    await test.http.delete(`/v1/operators/${added.body.id}`).set(asOperator()).expect(404);
    expect((await trail(added.body.id)).map((entry) => entry.action)).toEqual(['operator.added', 'operator.removed']);
  });

  it("hides another structure's administrators", async () => {
    const other = (await createStructure(test)).id;
    await test.http.get(administrators(other)).set(bearer(adminKey)).expect(404);
    await test.http
      .post(administrators(other))
      .set(bearer(adminKey))
      .send({ email: uniqueEmail(), role: 'admin' })
      .expect(404);
  });
});
