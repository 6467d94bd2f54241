import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { createStructure, importRows, uniqueDomain, uploadImport } from '../../../test/factories';
import { LOADUSER_TEST_HEADERS } from '../../../test/loaduser-test-headers';
import { manyRowsWorkbook, sharedStringsBomb, unpackedSizeBomb, wideRowWorkbook } from '../../../test/sheet-bombs';

/**
 * No upload may take the service down, however it is built. Each hostile file is uploaded through the API
 * and its import run while liveness is polled: the process stays up and answers while it runs, and the
 * import ends `failed` with the code of the limit it broke. How fast liveness answers and how much
 * memory the server takes meanwhile are measured on a real server process, next to its idle ceiling,
 * by `bench/hostile-imports.bench.ts` (`npm run bench:hostile`), not bounded by a timed test: on a
 * busy CI machine the jest process's own collections paused it past any bound worth holding.
 */
const ROW_LIMIT = 1000;

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  // Only the row limit is lowered (its default is shown by the reader's own tests): every
  // other bomb meets the limits the service runs with.
  test = await createTestApp({ environment: { BALISE_IMPORT_MAX_ROWS: String(ROW_LIMIT) } });
  structureId = (await createStructure(test, { domains: [uniqueDomain()] })).id;
});
afterAll(() => test.close());

interface ImportUnderLoad {
  import: {
    status: string;
    error: {
      code: string;
      detail: string;
      setting?: string;
      limit?: number;
      errors?: { row?: number; column?: string }[];
    } | null;
    progress: { rowsRead: number };
  };
  id: string;
}

/** Uploads a file, then runs its import while liveness is polled, each answer required to be 200. */
async function importUnderWatch(file: Buffer, fileName: string): Promise<ImportUnderLoad> {
  const upload = await uploadImport(test, structureId, file, {}, test.operatorKey, fileName).expect(202);
  let isRunning = true;
  const running = test.app.jobs.drain().finally(() => (isRunning = false));
  while (isRunning) {
    await test.http.get('/health/live').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await running;
  const done = await test.http.get(`/v1/imports/${upload.body.id}`).set(bearer(test.operatorKey)).expect(200);
  return {
    import: done.body,
    id: upload.body.id,
  };
}

function expectSurvived(watched: ImportUnderLoad, code: string, setting: string): void {
  expect(watched.import).toMatchObject({ status: 'failed', error: { code, setting } });
  expect(watched.import.error?.detail).toContain(setting);
}

const csvHeader = LOADUSER_TEST_HEADERS.join(';');

describe('hostile uploads', () => {
  it('a 16 MB XLSX whose 6,000,000 shared strings of 1,000 characters unpack to 6 GB', async () => {
    const bomb = sharedStringsBomb(6_000_000, 1000);
    expect(bomb.length).toBeLessThan(20 * 1024 * 1024);
    const watched = await importUnderWatch(bomb, 'bomb.xlsx');
    expectSurvived(watched, 'SHARED_STRINGS_TOO_LONG', 'BALISE_IMPORT_MAX_SHARED_STRING_CHARACTERS');
  });

  it('a 4 MB XLSX of 100,000,000 one-character shared strings', async () => {
    const watched = await importUnderWatch(sharedStringsBomb(100_000_000, 1), 'tiny-strings.xlsx');
    expectSurvived(watched, 'TOO_MANY_SHARED_STRINGS', 'BALISE_IMPORT_MAX_SHARED_STRINGS');
  });

  it('an XLSX with a part that unpacks to 6 GB', async () => {
    const watched = await importUnderWatch(unpackedSizeBomb(6000), 'unpacked.xlsx');
    expectSurvived(watched, 'FILE_TOO_LARGE_UNPACKED', 'BALISE_IMPORT_MAX_UNPACKED_BYTES');
  });

  it('a CSV with a line of 20,000,000 commas: one field, since the header says the delimiter is ";"', async () => {
    const csv = Buffer.from(`${csvHeader}\r\n${','.repeat(20_000_000)}\r\n`);
    const watched = await importUnderWatch(csv, 'commas.csv');
    expectSurvived(watched, 'CELL_TOO_LONG', 'BALISE_IMPORT_MAX_CELL_CHARACTERS');
    expect(watched.import.error?.errors).toEqual([expect.objectContaining({ row: 2, column: 'A' })]);
  });

  it('a CSV with a line of 10,000,000 delimiters', async () => {
    const csv = Buffer.from(`${csvHeader}\r\n${';'.repeat(10_000_000)}\r\n`);
    const watched = await importUnderWatch(csv, 'semicolons.csv');
    expectSurvived(watched, 'TOO_MANY_COLUMNS', 'BALISE_IMPORT_MAX_COLUMNS');
    expect(watched.import.error?.errors).toEqual([expect.objectContaining({ row: 2 })]);
  });

  it('a CSV with a quoted field of 10 MB', async () => {
    const csv = Buffer.from(`${csvHeader}\r\n"a@b.fr";"${'x'.repeat(10_000_000)}"\r\n`);
    const watched = await importUnderWatch(csv, 'field.csv');
    expectSurvived(watched, 'CELL_TOO_LONG', 'BALISE_IMPORT_MAX_CELL_CHARACTERS');
    expect(watched.import.error?.errors).toEqual([expect.objectContaining({ row: 2, column: 'B' })]);
  });

  it(`an XLSX of one-cell rows past the row limit, leaving no row results behind`, async () => {
    const watched = await importUnderWatch(manyRowsWorkbook(20 * ROW_LIMIT), 'rows.xlsx');
    expectSurvived(watched, 'TOO_MANY_ROWS', 'BALISE_IMPORT_MAX_ROWS');
    expect(watched.import.error).toMatchObject({ limit: ROW_LIMIT, errors: [{ row: ROW_LIMIT + 2 }] });
    expect(watched.import.progress.rowsRead).toBe(0);
    expect(await importRows(test, watched.id)).toEqual([]);
  });

  it('an XLSX row wider than the column limit', async () => {
    const watched = await importUnderWatch(wideRowWorkbook(300), 'wide.xlsx');
    expectSurvived(watched, 'TOO_MANY_COLUMNS', 'BALISE_IMPORT_MAX_COLUMNS');
    expect(watched.import.error).toMatchObject({ limit: 256, errors: [{ row: 2 }] });
  });

  it('a CSV that turns from UTF-8 to another encoding midway', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${csvHeader}\r\na@b.fr;Lefèvre\r\nc@d.fr;`),
      Buffer.from('Lef\xe8vre\r\n', 'latin1'),
    ]);
    const upload = await uploadImport(test, structureId, bytes).expect(202);
    await test.app.jobs.drain();
    const done = await test.http.get(`/v1/imports/${upload.body.id}`).set(bearer(test.operatorKey)).expect(200);
    expect(done.body).toMatchObject({
      status: 'failed',
      error: { code: 'FILE_ENCODING_INVALID', detail: expect.stringContaining('Line 3') },
    });
  });
});
