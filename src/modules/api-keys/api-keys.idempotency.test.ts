import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { API_KEY_PUBLIC_ID_PATTERN } from './api-key-secret';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure } from '../../../test/factories';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(() => test.close());

const PUBLIC_ID = API_KEY_PUBLIC_ID_PATTERN;

describe('API key secrets at rest', () => {
  it('shows the secret once: the idempotency record and its replay have no secret, and say so', async () => {
    const structure = await createStructure(test);
    const create = () =>
      test.http
        .post('/v1/api-keys')
        .set(bearer(test.operatorKey))
        .set('Idempotency-Key', 'create-dpi-key-1')
        .send({ name: 'DPI connector', role: 'admin', structureIds: [structure.id] });

    const first = await create().expect(201);
    const secret: string = first.body.key;
    expect(secret).toMatch(/^blk_[A-Za-z0-9_-]{43}$/);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(first.headers['idempotent-redacted']).toBeUndefined();

    const stored = await selectRows<{ response_body: string | null; response_headers: Record<string, string> | null }>(
      test.app.db,
      sql`select response_body, response_headers from idempotency_keys where key = 'create-dpi-key-1'`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.response_body).not.toContain(secret);
    expect(stored[0]!.response_body).not.toContain('"key"');
    expect(JSON.parse(stored[0]!.response_body!)).toMatchObject({ id: first.body.id, prefix: first.body.prefix });

    const replay = await create().expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['idempotent-redacted']).toBe('key');
    expect(replay.body.key).toBeUndefined();
    const { key: _shownOnce, ...metadata } = first.body as Record<string, unknown>;
    expect(replay.body).toEqual(metadata);

    // One key was made, and it works.
    const listed = await test.http.get('/v1/api-keys?limit=500').set(bearer(test.operatorKey)).expect(200);
    expect(listed.body.items.filter((key: { name: string }) => key.name === 'DPI connector')).toHaveLength(1);
    await test.http.get(`/v1/structures/${structure.id}`).set(bearer(secret)).expect(200);
  });

  it('keeps an error answer whole (it has no secret to remove)', async () => {
    const refused = () =>
      test.http
        .post('/v1/api-keys')
        .set(bearer(test.operatorKey))
        .set('Idempotency-Key', 'create-bad-key')
        .send({ name: 'x', role: 'admin', structureIds: [] });
    const first = await refused().expect(422);
    const replay = await refused().expect(422);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['idempotent-redacted']).toBeUndefined();
    expect(replay.body.code).toBe(first.body.code);
  });

  it('gives created and bootstrap keys a random public id that is no part of their secret', async () => {
    const structure = await createStructure(test);
    const created = await test.http
      .post('/v1/api-keys')
      .set(bearer(test.operatorKey))
      .send({ name: 'reader', role: 'reader', structureIds: [structure.id] })
      .expect(201);
    expect(created.body.prefix).toMatch(PUBLIC_ID);
    expect(created.body.key).not.toContain(created.body.prefix);
    expect(created.body.key.slice(0, 10)).not.toBe(created.body.prefix.slice(0, 10));

    const listed = await test.http.get('/v1/api-keys?limit=500').set(bearer(test.operatorKey)).expect(200);
    const bootstrap = listed.body.items.find((key: { name: string }) => key.name === 'bootstrap');
    expect(bootstrap.prefix).toMatch(PUBLIC_ID);
    expect(test.operatorKey).not.toContain(bootstrap.prefix);
    expect(test.operatorKey).not.toContain(bootstrap.prefix.slice(4));
    expect(bootstrap.prefix).not.toContain(test.operatorKey.slice(0, 6));
  });
});
