import { openTestDatabase } from '../../../test/harness';
import { uniqueDomain, validFiness } from '../../../test/factories';
import { HOSTILE_UPLOADS } from '../../../test/sheet-bombs';
import { startServerProcess, type ServerProcess } from '../../../test/server-process';
import type { DatabaseHandle } from '../../db/database';

/**
 * The hostile uploads as they were first found, sent to the real server process (`node
 * dist/server.js`, with the limits it ships with) one after the other: it stays up, answers
 * liveness throughout, and ends each import `failed` with its limit's code. How fast liveness
 * answers (within a second) and how much memory the process holds (under 500 MB) are measured by
 * `bench/hostile-imports.bench.ts`, each file on a fresh process next to its idle ceiling.
 *
 * On PostgreSQL only, as the bench: `imports.limits.test.ts` runs the same bombs on both backends
 * in the test's own process, and a server process over embedded PGlite carries its database's
 * WebAssembly heap (600–850 MB before any upload) besides the import.
 */
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;

let database: DatabaseHandle;
let server: ServerProcess;
let auth: { Authorization: string };
let structureId: string;

describeOnPostgres("the server process under the findings' hostile uploads", () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    server = await startServerProcess(database.pool!.options.connectionString!);
    auth = { Authorization: `Bearer ${server.operatorKey}` };
    const structure = await server.http
      .post('/v1/structures')
      .set(auth)
      .send({ name: 'Bombs', finess: validFiness(), domains: [uniqueDomain()] })
      .expect(201);
    structureId = structure.body.id as string;
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  }, 60_000);

  it.each(HOSTILE_UPLOADS)(
    '$what: the import fails with $code, liveness answers, the process stays up',
    async ({ fileName, build, code }) => {
      const upload = await server.http
        .post(`/v1/structures/${structureId}/imports`)
        .set(auth)
        .attach('file', build(), fileName)
        .expect(202);
      let record: { status: string; error: { code: string } | null } = { status: 'queued', error: null };
      for (
        const deadline = Date.now() + 150_000;
        record.status !== 'failed' && record.status !== 'succeeded' && Date.now() < deadline;
      ) {
        await server.http.get('/health/live').expect(200);
        record = (await server.http.get(`/v1/imports/${upload.body.id}`).set(auth).expect(200)).body;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(record).toMatchObject({ status: 'failed', error: { code } });
      expect(server.child.exitCode).toBeNull();
    },
    180_000,
  );
});
