import { sql } from 'drizzle-orm';
import supertest from 'supertest';
import { buildApp } from '../../app';
import { loadConfig } from '../../config/config';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createApiKey, createStructure } from '../../../test/factories';

let test: TestApp;
let otherProcess: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  test = await createTestApp();
  // A second API process on the same database: its own key cache, its own revocation listener.
  otherProcess = await buildApp({
    config: loadConfig({ BALISE_JOBS_ENABLED: 'false', LOG_LEVEL: 'silent' }),
    database: test.database,
    logger: false,
  });
  await otherProcess.ready();
});
afterAll(async () => {
  await otherProcess.close();
  await test.close();
});

async function statusesUntil(expected: number, call: () => Promise<number>): Promise<number> {
  let status = await call();
  for (let attempt = 0; attempt < 50 && status !== expected; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await call();
  }
  return status;
}

describe('API key revocation across processes', () => {
  it('serves a recently authenticated key from memory, then drops it when any process revokes it', async () => {
    const structure = await createStructure(test);
    const { id, key } = await createApiKey(test, 'admin', [structure.id]);
    const other = supertest(otherProcess.server);
    await other.get('/v1/structures').set(bearer(key)).expect(200);

    // Revoked behind the API's back (no announcement): the other process still knows the key…
    await test.app.db.execute(sql`update api_keys set revoked_at = now() where id = ${id}`);
    await other.get('/v1/structures').set(bearer(key)).expect(200);
    await test.app.db.execute(sql`update api_keys set revoked_at = null where id = ${id}`);

    // …but a revocation through the API is announced on commit and heard by every process.
    await test.http.delete(`/v1/api-keys/${id}`).set(bearer(test.operatorKey)).expect(204);
    await test.http.get('/v1/structures').set(bearer(key)).expect(401);
    const status = await statusesUntil(401, async () => (await other.get('/v1/structures').set(bearer(key))).status);
    expect(status).toBe(401);
  });
});
