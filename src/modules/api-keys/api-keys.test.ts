import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createStructure } from '../../../test/factories';
import { readAllPages } from '../../../test/paging';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

describe('API keys', () => {
  it('shows the secret once, stores it hashed, and lists keys without secrets', async () => {
    const structure = await createStructure(test);
    const created = await test.http
      .post('/v1/api-keys')
      .set(bearer(test.operatorKey))
      .send({ name: 'DPI connector', role: 'admin', structureIds: [structure.id] })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'DPI connector',
      role: 'admin',
      structureIds: [structure.id],
      revokedAt: null,
    });
    expect(created.body.key).toMatch(/^blk_[A-Za-z0-9_-]{43}$/);

    const listed = await test.http.get('/v1/api-keys?limit=500').set(bearer(test.operatorKey)).expect(200);
    const item = listed.body.items.find((key: { id: string }) => key.id === created.body.id);
    expect(item).toBeDefined();
    expect(item.key).toBeUndefined();
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

    const stored = await test.database.pool?.query('select secret_hash from api_keys where id = $1', [created.body.id]);
    if (stored) expect(stored.rows[0].secret_hash).not.toContain(created.body.key);

    await test.http.get(`/v1/structures/${structure.id}`).set(bearer(created.body.key)).expect(200);
  });

  it('pages through the keys, newest first, one at a time without a gap or a repeat', async () => {
    const structure = await createStructure(test);
    for (let made = 0; made < 3; made += 1) await createApiKey(test, 'reader', [structure.id]);
    const whole = await test.http.get('/v1/api-keys?limit=500').set(bearer(test.operatorKey)).expect(200);
    const paged = await readAllPages<{ id: string }>((cursor) =>
      test.http.get('/v1/api-keys').query({ limit: 1, cursor }).set(bearer(test.operatorKey)),
    );
    expect(paged.map((key) => key.id)).toEqual(whole.body.items.map((key: { id: string }) => key.id));
    expect(paged.length).toBeGreaterThanOrEqual(4);
  });

  it('stops a revoked key at once, and audits the revocation', async () => {
    const structure = await createStructure(test);
    const { id, key } = await createApiKey(test, 'admin', [structure.id]);
    await test.http.get('/v1/structures').set(bearer(key)).expect(200);
    await test.http.delete(`/v1/api-keys/${id}`).set(bearer(test.operatorKey)).expect(204);
    const refused = await test.http.get('/v1/structures').set(bearer(key)).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    await test.http.delete(`/v1/api-keys/${id}`).set(bearer(test.operatorKey)).expect(409);
    const events = await test.http.get(`/v1/audit-events?targetId=${id}`).set(bearer(test.operatorKey)).expect(200);
    expect(events.body.items.map((event: { action: string }) => event.action)).toEqual([
      'api_key.revoked',
      'api_key.created',
    ]);
    expect(JSON.stringify(events.body)).not.toContain(key);
  });

  it('lets nobody create a key with more rights than their own', async () => {
    const mine = await createStructure(test);
    const theirs = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [mine.id]);
    const reader = await createApiKey(test, 'reader', [mine.id]);
    const asAdmin = (body: object) => test.http.post('/v1/api-keys').set(bearer(admin.key)).send(body);

    const readerKey = await asAdmin({ name: 'reader', role: 'reader', structureIds: [mine.id] }).expect(201);
    await asAdmin({ name: 'op', role: 'operator', structureIds: [] }).expect(403);
    await asAdmin({ name: 'wider', role: 'admin', structureIds: [mine.id, theirs.id] }).expect(403);
    await test.http
      .post('/v1/api-keys')
      .set(bearer(reader.key))
      .send({ name: 'x', role: 'reader', structureIds: [mine.id] })
      .expect(403);
    const empty = await test.http
      .post('/v1/api-keys')
      .set(bearer(test.operatorKey))
      .send({ name: 'x', role: 'admin', structureIds: [] })
      .expect(422);
    expect(empty.body.errors[0].field).toBe('structureIds');
    const unknown = await test.http
      .post('/v1/api-keys')
      .set(bearer(test.operatorKey))
      .send({ name: 'x', role: 'admin', structureIds: ['00000000-0000-4000-8000-000000000000'] })
      .expect(422);
    expect(unknown.body.errors[0].code).toBe('STRUCTURE_UNKNOWN');

    // An admin sees and revokes the keys within its structures only.
    const visible = await test.http.get('/v1/api-keys?limit=500').set(bearer(admin.key)).expect(200);
    const ids = visible.body.items.map((key: { id: string }) => key.id);
    expect(ids).toEqual(expect.arrayContaining([admin.id, reader.id, readerKey.body.id]));
    const other = await createApiKey(test, 'admin', [theirs.id]);
    expect(ids).not.toContain(other.id);
    await test.http.delete(`/v1/api-keys/${other.id}`).set(bearer(admin.key)).expect(404);
    await test.http.delete(`/v1/api-keys/${readerKey.body.id}`).set(bearer(admin.key)).expect(204);
    await test.http.get('/v1/api-keys').set(bearer(reader.key)).expect(403);
  });

  it('hides key events from admins (they have no structure)', async () => {
    const structure = await createStructure(test);
    const admin = await createApiKey(test, 'admin', [structure.id]);
    const events = await test.http.get('/v1/audit-events?action=api_key.').set(bearer(admin.key)).expect(200);
    expect(events.body.items).toEqual([]);
  });
});
