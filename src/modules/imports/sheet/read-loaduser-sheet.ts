import { readCsvRows } from './read-csv-rows';
import { readXlsRows } from './read-xls-rows';
import { readXlsxRows } from './read-xlsx-rows';
import { SheetError } from './sheet-error';
import { isBlankCell, isBlankRow, iterateChunks, type RawSheetRow, type SheetInput } from './sheet-row';

function readRows(input: SheetInput): AsyncGenerator<RawSheetRow> {
  const chunks = iterateChunks(input.stream);
  switch (input.format) {
    case 'csv':
      return readCsvRows(chunks);
    case 'xlsx':
      return readXlsxRows(chunks);
    case 'xls':
      return readXlsRows(chunks);
    default:
      throw new SheetError('FORMAT_UNSUPPORTED', `Unknown sheet format "${String(input.format)}".`);
  }
}

/**
 * Streams the rows of the first sheet of a loaduser file, header included, as the spreadsheet
 * numbers them. Fully empty rows are skipped (numbering is kept) and trailing empty cells
 * dropped, so a row is never longer than its last filled cell. CSV and XLSX are read in
 * constant memory; legacy XLS, small by nature, is read whole.
 *
 * Failures are `SheetError`s (`FILE_UNREADABLE` for a damaged file), except errors of the
 * input stream itself, which are re-thrown as they are.
 */
export async function* readLoaduserSheet(input: SheetInput): AsyncGenerator<RawSheetRow> {
  for await (const row of readRows(input)) {
    if (isBlankRow(row.cells)) continue;
    let length = row.cells.length;
    while (length > 0 && isBlankCell(row.cells[length - 1])) length -= 1;
    yield length === row.cells.length ? row : { rowNumber: row.rowNumber, cells: row.cells.slice(0, length) };
  }
}
