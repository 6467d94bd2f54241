import { createTestApp, type TestApp } from '../../../test/harness';
import { excelWorkbook, type WorkbookCell } from '../../../test/excel-workbooks';
import { createStructure, importRows, runImport, uniqueDomain, validRpps } from '../../../test/factories';
import { LOADUSER_TEST_HEADERS } from '../../../test/loaduser-test-headers';

let test: TestApp;
let structureId: string;
beforeAll(async () => {
  test = await createTestApp();
  structureId = (await createStructure(test, { domains: [uniqueDomain()] })).id;
});
afterAll(() => test.close());

/** A hundred PER rows: columns A (e-mail), B (name), C (first name), D (RPPS), S (type), all texts. */
function hundredPeople(): WorkbookCell[][] {
  const rows: WorkbookCell[][] = [[...LOADUSER_TEST_HEADERS]];
  for (let index = 0; index < 100; index += 1) {
    const row: WorkbookCell[] = Array.from({ length: 19 }, () => null);
    row[0] = `agent.${index}@hopital.example.fr`;
    row[1] = `Nom${index}`;
    row[2] = `Prénom${index}`;
    row[3] = validRpps();
    row[18] = 'PER';
    rows.push(row);
  }
  return rows;
}

// The reader's own tests (loaduser-sheet/read-xlsx-part-order.test.ts) cover the sizes and
// layouts; this one follows such a file through the upload, the stored pieces and the job.
describe('importing an XLSX whose shared strings come after the worksheet, sizes in data descriptors', () => {
  it('creates every box with the texts of its cells', async () => {
    const file = excelWorkbook(hundredPeople(), { order: 'excel', sizesIn: 'data-descriptors' });
    const done = await runImport(test, structureId, file, {}, 'loaduser.xlsx');
    expect(done).toMatchObject({ status: 'succeeded', error: null, counts: { created: 100, failed: 0 } });
    const rows = await importRows(test, done.id);
    expect(rows.map((row) => [row.rowNumber, row.email, row.outcome])).toEqual(
      Array.from({ length: 100 }, (_row, index) => [index + 2, `agent.${index}@hopital.example.fr`, 'created']),
    );
  });
});
