import { openTestDatabase } from '../../../test/harness';
import { uniqueDomain, validFiness } from '../../../test/factories';
import { LOADUSER_TEST_HEADERS } from '../../../test/loaduser-test-headers';
import { manyRowsWorkbook, sharedStringsBomb, unpackedSizeBomb } from '../../../test/sheet-bombs';
import { startServerProcess, type ServerProcess } from '../../../test/server-process';
import type { DatabaseHandle } from '../../db/database';

/**
 * The hostile uploads as they were first found, sent to the real server process (`node
 * dist/server.js`, with the limits it ships with) one after the other: it stays up, answers
 * liveness throughout, and ends each import `failed` with its limit's code. How fast liveness
 * answers (within a second) and how much memory the process holds (under 500 MB) are measured by
 * `bench/hostile-imports.bench.ts`, each file on a fresh process next to its idle ceiling.
 *
 * On PostgreSQL only: with embedded PGlite the database lives in the server's own process, and
 * its WebAssembly heap alone is 600–850 MB before any upload, so the process's total says nothing
 * of the import. `imports.limits.test.ts` runs the same bombs on both backends and bounds what one
 * import adds to its process.
 */
const describeOnPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const csvHeader = LOADUSER_TEST_HEADERS.join(';');

/** The findings' files: what each is, its bytes, and the code its import must fail with. */
const HOSTILE_UPLOADS: { what: string; fileName: string; build: () => Buffer; code: string }[] = [
  {
    what: '16 MB XLSX, 6,000,000 shared strings of 1,000 characters (6 GB)',
    fileName: 'bomb.xlsx',
    build: () => sharedStringsBomb(6_000_000, 1000),
    code: 'SHARED_STRINGS_TOO_LONG',
  },
  {
    what: '4 MB XLSX, 100,000,000 one-character shared strings',
    fileName: 'tiny.xlsx',
    build: () => sharedStringsBomb(100_000_000, 1),
    code: 'TOO_MANY_SHARED_STRINGS',
  },
  {
    what: 'XLSX with a part that unpacks to 6 GB',
    fileName: 'unpacked.xlsx',
    build: () => unpackedSizeBomb(6000),
    code: 'FILE_TOO_LARGE_UNPACKED',
  },
  {
    what: 'CSV with a row of 20,000,000 commas',
    fileName: 'commas.csv',
    build: () => Buffer.from(`${csvHeader}\r\n${','.repeat(20_000_000)}\r\n`),
    code: 'CELL_TOO_LONG',
  },
  {
    what: 'CSV with a quoted field of 45 MB',
    fileName: 'field.csv',
    build: () => Buffer.from(`${csvHeader}\r\n"a@b.fr";"${'x'.repeat(45_000_000)}"\r\n`),
    code: 'CELL_TOO_LONG',
  },
  {
    what: 'XLSX of 5,000,000 one-cell rows',
    fileName: 'rows.xlsx',
    build: () => manyRowsWorkbook(5_000_000),
    code: 'TOO_MANY_ROWS',
  },
];

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
