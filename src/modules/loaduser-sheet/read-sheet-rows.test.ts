import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOADUSER_TEST_HEADERS } from '../../../test/loaduser-test-headers';
import {
  buildZip,
  HEADER_ROW,
  inlineCell,
  manyRowsWorkbook,
  sharedStringsBomb,
  workbookParts,
  WORKSHEET_END,
  WORKSHEET_START,
} from '../../../test/sheet-bombs';
import { readSheetRows } from './read-sheet-rows';
import { DEFAULT_SHEET_LIMITS, type SheetLimits } from './sheet-limits';
import type { SheetFormat } from './sheet-row';

/** The limits logic, in this thread (the worker runs the same function). */
async function readAll(bytes: Buffer, format: SheetFormat, overrides: Partial<SheetLimits> = {}): Promise<number> {
  let count = 0;
  const chunks = (async function* split() {
    for (let start = 0; start < bytes.length; start += 64 * 1024) yield bytes.subarray(start, start + 64 * 1024);
  })();
  for await (const _row of readSheetRows(format, chunks, { ...DEFAULT_SHEET_LIMITS, ...overrides })) count += 1;
  return count;
}

const csv = (lines: string[]) => Buffer.from([LOADUSER_TEST_HEADERS.join(';'), ...lines].join('\r\n'));

describe('the row limit', () => {
  it('counts non-empty data rows only: the header and empty rows are free', async () => {
    expect(await readAll(csv(['a@b.fr', '', ';;;', 'c@d.fr']), 'csv', { maxRows: 2 })).toBe(3);
    await expect(readAll(csv(['a@b.fr', '', 'c@d.fr', 'e@f.fr']), 'csv', { maxRows: 2 })).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      details: { row: 5, limit: 2, setting: 'BALISE_IMPORT_MAX_ROWS' },
    });
  });

  it('holds for XLSX rows as the sheet numbers them', async () => {
    expect(await readAll(manyRowsWorkbook(10), 'xlsx', { maxRows: 10 })).toBe(11);
    await expect(readAll(manyRowsWorkbook(11), 'xlsx', { maxRows: 10 })).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      details: { row: 12 },
    });
  });
});

describe('the cell and column limits', () => {
  const wideCell = (length: number) =>
    buildZip([
      ...workbookParts(false),
      {
        path: 'xl/worksheets/sheet1.xml',
        content: Buffer.from(
          `${WORKSHEET_START}${HEADER_ROW}<row r="2">${inlineCell('C2', 'é'.repeat(length))}</row>${WORKSHEET_END}`,
        ),
      },
    ]);

  it('refuses a cell one character past the limit, naming it, in XLSX and CSV', async () => {
    expect(await readAll(wideCell(300), 'xlsx', { maxCellCharacters: 300 })).toBe(2);
    await expect(readAll(wideCell(301), 'xlsx', { maxCellCharacters: 300 })).rejects.toMatchObject({
      code: 'CELL_TOO_LONG',
      details: { row: 2, column: 'C' },
    });
    expect(await readAll(csv([`a;"${'"'.repeat(600)}"`]), 'csv', { maxCellCharacters: 300 })).toBe(2);
    await expect(readAll(csv([`a;"${'"'.repeat(602)}"`]), 'csv', { maxCellCharacters: 300 })).rejects.toMatchObject({
      code: 'CELL_TOO_LONG',
      details: { row: 2, column: 'B' },
    });
  });

  it("counts a row's empty cells too", async () => {
    expect(await readAll(csv([`a${';'.repeat(39)}`]), 'csv', { maxColumns: 40 })).toBe(2);
    await expect(readAll(csv([`a${';'.repeat(40)}`]), 'csv', { maxColumns: 40 })).rejects.toMatchObject({
      code: 'TOO_MANY_COLUMNS',
      details: { row: 2 },
    });
  });
});

describe('the XLSX guards', () => {
  it('count shared strings and their characters as they are read', async () => {
    expect(
      await readAll(sharedStringsBomb(20_000, 10), 'xlsx', {
        maxSharedStrings: 20_000,
        maxSharedStringCharacters: 200_000,
      }),
    ).toBe(2);
    await expect(readAll(sharedStringsBomb(20_001, 1), 'xlsx', { maxSharedStrings: 20_000 })).rejects.toMatchObject({
      code: 'TOO_MANY_SHARED_STRINGS',
      details: { limit: 20_000 },
    });
    await expect(
      readAll(sharedStringsBomb(20_000, 11), 'xlsx', { maxSharedStringCharacters: 200_000 }),
    ).rejects.toMatchObject({ code: 'SHARED_STRINGS_TOO_LONG' });
    await expect(readAll(sharedStringsBomb(20_000, 301), 'xlsx', { maxCellCharacters: 300 })).rejects.toMatchObject({
      code: 'CELL_TOO_LONG',
    });
  });

  it('count the bytes every part read inflates to', async () => {
    const bytes = sharedStringsBomb(2000, 1000);
    await expect(readAll(bytes, 'xlsx', { maxUnpackedBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE_UNPACKED',
      message: expect.stringContaining('xl/sharedStrings.xml'),
      details: { setting: 'BALISE_IMPORT_MAX_UNPACKED_BYTES' },
    });
    expect(await readAll(bytes, 'xlsx', { maxUnpackedBytes: 3 * 1024 * 1024 })).toBe(2);
  });

  it('never inflate a part the rows do not need', async () => {
    const withImage = buildZip([
      ...workbookParts(false),
      { path: 'xl/media/image1.bin', content: { piece: '\0'.repeat(1024 * 1024), times: 64 } },
      { path: 'xl/worksheets/sheet1.xml', content: Buffer.from(`${WORKSHEET_START}${HEADER_ROW}${WORKSHEET_END}`) },
    ]);
    expect(await readAll(withImage, 'xlsx', { maxUnpackedBytes: 1024 * 1024 })).toBe(1);
  });
});

describe('the limits on .xls files', () => {
  const xls = readFileSync(join(__dirname, '../../../test/fixtures/loaduser-excel97.xls'));

  it('apply to the sheet SheetJS read whole', async () => {
    expect(await readAll(xls, 'xls', { maxRows: 6 })).toBe(7);
    await expect(readAll(xls, 'xls', { maxRows: 5 })).rejects.toMatchObject({ code: 'TOO_MANY_ROWS' });
    await expect(readAll(xls, 'xls', { maxColumns: 20 })).rejects.toMatchObject({
      code: 'TOO_MANY_COLUMNS',
      details: { limit: 20 },
    });
  });
});
