import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { selectRows } from '../../db/database';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  createStructure,
  importRows,
  loaduserCsv,
  runImport,
  uniqueDomain,
  uniqueEmail,
  uploadImport,
  validRpps,
} from '../../../test/factories';

/** Waits for a condition met by work the server does on its own (at most 10 s). */
async function until(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !condition();) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the server');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', name));

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test, { domains: [uniqueDomain()] })).id;
});
afterAll(() => test.close());

const oneBox = () => loaduserCsv([{ A: uniqueEmail(), B: 'Dupont', C: 'Jean', D: validRpps(), S: 'PER' }]);
const countImportsIn = async (app: TestApp) =>
  (await selectRows<{ count: number }>(app.app.db, sql`select count(*)::int as count from imports`))[0]!.count;
const countImports = async () =>
  (await selectRows<{ count: number }>(test.app.db, sql`select count(*)::int as count from imports`))[0]!.count;

describe('uploading a loaduser file', () => {
  it('stores it, answers 202 with the queued import and its options, and audits the upload', async () => {
    const response = await uploadImport(test, structureId, oneBox(), {
      dryRun: 'true',
      onError: 'skip',
      notify: 'false',
      directoryVisible: 'false',
    })
      .set('x-request-id', 'upload-request-1')
      .expect(202);
    expect(response.headers.location).toBe(`/v1/imports/${response.body.id}`);
    expect(response.body).toMatchObject({
      structureId,
      status: 'queued',
      fileName: 'loaduser.csv',
      format: 'csv',
      options: { dryRun: true, onError: 'skip', notify: false, directoryVisible: false },
      progress: { phase: 'queued', rowsRead: 0, totalRows: null, rowsApplied: 0 },
      counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
      error: null,
      startedAt: null,
      finishedAt: null,
    });
    const [stored] = await selectRows<{ size: number }>(
      test.app.db,
      sql`select sum(octet_length(content))::int as size from import_file_chunks where import_id = ${response.body.id}`,
    );
    expect(stored!.size).toBe(response.body.fileSize);
    const events = await test.http.get(`/v1/audit-events?structureId=${structureId}`).set(bearer(test.operatorKey));
    expect(events.body.items).toContainEqual(
      expect.objectContaining({ action: 'import.created', targetId: response.body.id, requestId: 'upload-request-1' }),
    );
    const listed = await test.http
      .get(`/v1/structures/${structureId}/imports?limit=1`)
      .set(bearer(test.operatorKey))
      .expect(200);
    expect(listed.body.items[0].id).toBe(response.body.id);
  });

  it('detects the format from the bytes, whatever the name says', async () => {
    const response = await uploadImport(
      test,
      structureId,
      fixture('loaduser-openpyxl.xlsx'),
      {},
      test.operatorKey,
      'export.csv',
    ).expect(202);
    expect(response.body.format).toBe('xlsx');
  });

  it.each([
    [
      'a PNG image',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
      415,
      'FORMAT_UNSUPPORTED',
    ],
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n'), 415, 'FORMAT_UNSUPPORTED'],
    ['an HTML page', Buffer.from('<!doctype html><html><body>loaduser</body></html>'), 415, 'FORMAT_UNSUPPORTED'],
    ['an empty file', Buffer.alloc(0), 400, 'FILE_EMPTY'],
  ])('refuses %s before storing anything', async (_label, bytes, status, code) => {
    const before = await countImports();
    const response = await uploadImport(test, structureId, bytes).expect(status);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'file', code }));
    expect(await countImports()).toBe(before);
  });

  it.each([
    ['no file part', (request: ReturnType<typeof test.http.post>) => request.field('dryRun', 'true'), 'file'],
    [
      'an unknown field',
      (request: ReturnType<typeof test.http.post>) => request.field('mode', 'fast').attach('file', oneBox(), 'a.csv'),
      'mode',
    ],
    [
      'onError neither abort nor skip',
      (request: ReturnType<typeof test.http.post>) =>
        request.field('onError', 'ignore').attach('file', oneBox(), 'a.csv'),
      'onError',
    ],
    [
      'dryRun not a boolean',
      (request: ReturnType<typeof test.http.post>) =>
        request.field('dryRun', 'maybe').attach('file', oneBox(), 'a.csv'),
      'dryRun',
    ],
  ])('answers 400 for %s, naming the field', async (_label, build, field) => {
    const response = await build(
      test.http.post(`/v1/structures/${structureId}/imports`).set(bearer(test.operatorKey)),
    ).expect(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field }));
  });

  it('answers 415 to a body that is not multipart, and 404 for an unknown structure, storing nothing', async () => {
    const before = await countImports();
    await test.http
      .post(`/v1/structures/${structureId}/imports`)
      .set(bearer(test.operatorKey))
      .send({ file: 'x' })
      .expect(415);
    await uploadImport(test, '00000000-0000-4000-8000-000000000000', oneBox()).expect(404);
    expect(await countImports()).toBe(before);
  });

  it('replays an upload retried with the same Idempotency-Key', async () => {
    const first = await uploadImport(test, structureId, oneBox()).set('idempotency-key', 'import-key-1').expect(202);
    const retry = await uploadImport(test, structureId, oneBox()).set('idempotency-key', 'import-key-1').expect(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
  });
});

describe('storing an upload', () => {
  // Uploads wait on disk before they are stored: this app gets its own folder, to see what is left in it.
  let spoolFolder: string;
  let spooling: TestApp;
  let spoolingStructureId: string;
  beforeAll(async () => {
    spoolFolder = mkdtempSync(path.join(tmpdir(), 'balise-spool-test-'));
    spooling = await createTestApp({
      environment: { BALISE_UPLOAD_SPOOL_DIR: spoolFolder, BALISE_UPLOAD_MAX_BYTES: String(4 * 1024 * 1024) },
    });
    spoolingStructureId = (await createStructure(spooling)).id;
  });
  afterAll(async () => {
    await spooling.close();
    rmSync(spoolFolder, { recursive: true, force: true });
  });

  it('keeps a file of several mebibytes in pieces of at most 256 KiB, byte for byte, and reads every row back', async () => {
    const rows = Array.from({ length: 8000 }, (_row, index) => ({
      A: uniqueEmail(),
      B: 'Dupont',
      C: 'Jean',
      D: validRpps(),
      S: 'PER',
      E: `${index} rue de la République, bâtiment ${'B'.repeat(150)}`,
    }));
    const file = loaduserCsv(rows);
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    const response = await uploadImport(test, structureId, file, { dryRun: 'true' }).expect(202);
    expect(response.body.fileSize).toBe(file.length);
    const pieces = await selectRows<{ size: number }>(
      test.app.db,
      sql`select octet_length(content) as size from import_file_chunks where import_id = ${response.body.id} order by seq`,
    );
    expect(pieces.length).toBeGreaterThanOrEqual(9);
    expect(pieces.every((piece) => piece.size <= 256 * 1024)).toBe(true);
    const [whole] = await selectRows<{ digest: string }>(
      test.app.db,
      sql`select md5(string_agg(content, ''::bytea order by seq)) as digest from import_file_chunks where import_id = ${response.body.id}`,
    );
    expect(whole!.digest).toBe(createHash('md5').update(file).digest('hex'));
    await test.app.jobs.drain();
    const done = await test.http.get(`/v1/imports/${response.body.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(done.body).toMatchObject({ status: 'succeeded', progress: { totalRows: 8000 }, counts: { failed: 0 } });
  });

  it('leaves no temporary file behind, whether the upload is stored or refused', async () => {
    await uploadImport(spooling, spoolingStructureId, oneBox()).expect(202);
    await uploadImport(spooling, spoolingStructureId, Buffer.from('%PDF-1.7\n1 0 obj\n')).expect(415);
    await spooling.http
      .post(`/v1/structures/${spoolingStructureId}/imports`)
      .set(bearer(spooling.operatorKey))
      .field('onError', 'ignore')
      .attach('file', oneBox(), 'a.csv')
      .expect(400);
    await uploadImport(spooling, '00000000-0000-4000-8000-000000000000', oneBox()).expect(404);
    await uploadImport(spooling, spoolingStructureId, Buffer.alloc(5 * 1024 * 1024, 'a')).expect(413);
    expect(readdirSync(spoolFolder)).toEqual([]);
  });

  it('stores nothing and leaves no file when the client goes away in the middle of its upload', async () => {
    await spooling.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = spooling.app.server.address() as AddressInfo;
    const importsBefore = await countImportsIn(spooling);
    const boundary = 'cut-off-upload';
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      [
        `POST /v1/structures/${spoolingStructureId}/imports HTTP/1.1`,
        'Host: balise',
        `Authorization: Bearer ${spooling.operatorKey}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        'Content-Length: 1000000',
        '',
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="a.csv"',
        'Content-Type: text/csv',
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(Buffer.alloc(64 * 1024, 'a'));
    await until(() => readdirSync(spoolFolder).length === 1);
    socket.destroy();
    await until(() => readdirSync(spoolFolder).length === 0);
    expect(await countImportsIn(spooling)).toBe(importsBefore);
  });
});

describe('files that cannot be imported', () => {
  it('fails a truncated XLSX as unreadable, writing no box', async () => {
    const whole = fixture('loaduser-openpyxl.xlsx');
    const done = await runImport(test, structureId, whole.subarray(0, Math.floor(whole.length / 2)), {}, 'cut.xlsx');
    expect(done).toMatchObject({ status: 'failed', counts: { created: 0, failed: 0 } });
    expect(done.error).toMatchObject({ code: 'FILE_UNREADABLE', detail: expect.stringMatching(/cannot be read/) });
    expect(await importRows(test, done.id)).toEqual([]);
  });

  it('fails a text file that is not a loaduser with HEADER_MISMATCH on row 1', async () => {
    const done = await runImport(test, structureId, Buffer.from('nom,prenom,telephone\nDupont,Jean,0600000000\n'));
    expect(done.error).toMatchObject({
      code: 'HEADER_MISMATCH',
      template: '/v1/imports/template',
      errors: [expect.objectContaining({ row: 1, column: 'A' })],
    });
  });

  it('finishes a file holding only its header with nothing to do, and fails one without any row as empty', async () => {
    const headerOnly = await runImport(test, structureId, loaduserCsv([]));
    expect(headerOnly).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, unchanged: 0, failed: 0 },
      progress: { totalRows: 0 },
    });
    const blank = await runImport(test, structureId, Buffer.from('\r\n\r\n'));
    expect(blank.error).toMatchObject({ code: 'FILE_EMPTY' });
  });
});

describe('the upload limit', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ environment: { BALISE_UPLOAD_MAX_BYTES: '2048' } });
  });
  afterAll(() => small.close());

  it('answers 413 above BALISE_UPLOAD_MAX_BYTES, naming the limit', async () => {
    const structure = (await createStructure(small)).id;
    const response = await uploadImport(small, structure, Buffer.alloc(4096, 'a')).expect(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringMatching(/2048 bytes/) });
    await uploadImport(small, structure, Buffer.concat([loaduserCsv([]), Buffer.alloc(100, '\n')])).expect(202);
  });
});

describe('spool folders left by a stopped process', () => {
  it('are removed when a process starts, once older than twice the request timeout; uploads in progress and other folders stay', async () => {
    const spoolFolder = mkdtempSync(path.join(tmpdir(), 'balise-spool-sweep-'));
    const leave = (name: string, ageSeconds: number) => {
      const folder = path.join(spoolFolder, name);
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'upload'), 'A;B;C\n');
      const madeAt = (Date.now() - ageSeconds * 1000) / 1000;
      utimesSync(folder, madeAt, madeAt);
    };
    leave('balise-upload-stopped', 121); // the request timeout below is 60 s
    leave('balise-upload-in-progress', 100);
    leave('someone-elses', 86_400);
    const restarted = await createTestApp({
      environment: { BALISE_UPLOAD_SPOOL_DIR: spoolFolder, BALISE_REQUEST_TIMEOUT_SECONDS: '60' },
    });
    try {
      expect(readdirSync(spoolFolder).sort()).toEqual(['balise-upload-in-progress', 'someone-elses']);
      // The bound that makes the age safe: no client may take longer to send a request.
      expect(restarted.app.server.requestTimeout).toBe(60_000);
    } finally {
      await restarted.close();
      rmSync(spoolFolder, { recursive: true, force: true });
    }
  });
});
