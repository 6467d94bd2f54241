import { Readable } from 'node:stream';
import { excelWorkbook, type PartOrder, type SizesIn, type WorkbookCell } from '../../../test/excel-workbooks';
import { LOADUSER_TEST_HEADERS } from '../../../test/loaduser-test-headers';
import { readLoaduserSheet } from './read-loaduser-sheet';
import type { RawSheetRow } from './sheet-row';

/**
 * Where the shared strings sit in the zip (Excel puts them after the worksheet) and how it
 * records sizes must not matter, whatever the size of the table: exceljs 4.4's streaming reader
 * lost small tables after the worksheet in zips with data descriptors (every cell referencing
 * one read empty), always at a hundred strings, now and then at a thousand.
 */
function rowsWithDistinctStrings(count: number): WorkbookCell[][] {
  const rows: WorkbookCell[][] = [[...LOADUSER_TEST_HEADERS]];
  for (let index = 0; index < count; index += 1) rows.push([`personne.${index}@hopital.example.fr`, null, index]);
  return rows;
}

async function readRows(bytes: Buffer): Promise<RawSheetRow[]> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += 64 * 1024) chunks.push(bytes.subarray(start, start + 64 * 1024));
  const rows: RawSheetRow[] = [];
  for await (const row of readLoaduserSheet({ stream: Readable.from(chunks, { objectMode: false }), format: 'xlsx' }))
    rows.push(row);
  return rows;
}

const LAYOUTS: [PartOrder, SizesIn][] = [
  ['excel', 'local-headers'],
  ['excel', 'data-descriptors'],
  ['shared-strings-first', 'local-headers'],
  ['shared-strings-first', 'data-descriptors'],
];

describe.each(LAYOUTS)('a workbook whose parts are in %s order, sizes in %s', (order, sizesIn) => {
  it.each([3, 100, 1000, 10_000])('reads every cell of %d distinct shared strings', async (count) => {
    // The header's 34 texts are shared strings too.
    const written = rowsWithDistinctStrings(count);
    const rows = await readRows(excelWorkbook(written, { order, sizesIn }));
    expect(rows).toHaveLength(written.length);
    rows.forEach((row, index) => {
      expect(row.rowNumber).toBe(index + 1);
      expect(row.cells).toEqual(written[index]);
    });
  });
});
