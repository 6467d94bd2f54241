import { PassThrough, type Writable } from 'node:stream';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { bytesOf, downloadFile, readCsvRecords, readXlsxRecords } from '../../../test/downloads';
import { createMailbox, createStructure, runImport } from '../../../test/factories';
import type { LoaduserExportRow } from '../loaduser-sheet/loaduser-row-fields';
import { writeLoaduserCsv } from '../loaduser-sheet/write-loaduser-csv';
import { writeLoaduserXlsx } from '../loaduser-sheet/write-loaduser-xlsx';

/** Names the API accepts that a spreadsheet would run as formulas. */
const FORMULA_NAMES = ['＝1+1', '@SUM(A1)', '+cmd', '-1+1', '\t=1+1', '\r=1+1', '＋cmd', '－1+1', '＠SUM(A1)'];
const FORMULA_EMAIL = '=1+1@ex.fr';

let test: TestApp;
let structureId: string;
/** Box id → the last name it was given. */
const lastNames = new Map<string, string>();
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test)).id;
  for (const [index, lastName] of FORMULA_NAMES.entries()) {
    const email = index === 0 ? FORMULA_EMAIL : undefined;
    const box = await createMailbox(test, structureId, 'INT', { lastName, rpps: null, ...(email ? { email } : {}) });
    // The API trims names (a leading tab or carriage return goes): expect what it stored.
    const stored = await test.http.get(`/v1/mailboxes/${box.id}`).set(bearer(test.operatorKey)).expect(200);
    lastNames.set(box.id, stored.body.lastName);
  }
});
afterAll(() => test.close());

const download = (format: 'csv' | 'xlsx') =>
  downloadFile(test, `/v1/structures/${structureId}/mailboxes/export?format=${format}`);

/** Column B is the last name, AG (33rd) the box id. */
function lastNamesById(rows: string[][]): Map<string, string> {
  return new Map(rows.slice(1).map((row) => [row[32]!, row[1]!]));
}

describe('formula cells in the loaduser exports', () => {
  it.each(['csv', 'xlsx'] as const)('neutralises names and addresses that look like formulas (%s)', async (format) => {
    const bytes = bytesOf(await download(format).expect(200));
    const rows = format === 'csv' ? await readCsvRecords(bytes) : await readXlsxRecords(bytes, 'Loaduser', 34);
    const exported = lastNamesById(rows);
    for (const [id, lastName] of lastNames) {
      expect(exported.get(id)).toBe(`'${lastName}`);
    }
    expect(rows.map((row) => row[0])).toContain(`'${FORMULA_EMAIL}`);
  });

  it.each(['csv', 'xlsx'] as const)('re-imports its %s export with the names unchanged', async (format) => {
    const bytes = bytesOf(await download(format).expect(200));
    const done = await runImport(test, structureId, bytes, {}, `export.${format}`);
    expect(done).toMatchObject({
      status: 'succeeded',
      counts: { created: 0, updated: 0, failed: 0, unchanged: FORMULA_NAMES.length },
    });
  });

  it.each(['csv', 'xlsx'] as const)(
    'neutralises cells starting with a tab or a carriage return in the %s writer',
    async (format) => {
      const row: LoaduserExportRow = {
        email: 'a@ex.fr',
        lastName: '\t=1+1',
        firstName: '\r=1+1',
        service: '＝1+1',
        phone: '+33491000002',
        id: 'box',
      };
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      const write: (rows: LoaduserExportRow[], target: Writable) => Promise<void> =
        format === 'csv' ? writeLoaduserCsv : writeLoaduserXlsx;
      await write([row], out);
      const bytes = Buffer.concat(chunks);
      const [, cells] = format === 'csv' ? await readCsvRecords(bytes) : await readXlsxRecords(bytes, 'Loaduser', 34);
      // XLSX keeps a lone carriage return as a line feed.
      expect(cells!.slice(1, 3)).toEqual(["'\t=1+1", format === 'csv' ? "'\r=1+1" : "'\n=1+1"]);
      expect(cells![6]).toBe("'＝1+1");
      expect(cells![9]).toBe("'+33491000002");
    },
  );
});
