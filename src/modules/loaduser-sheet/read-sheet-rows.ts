import { readCsvRows } from './read-csv-rows';
import { readXlsRows } from './read-xls-rows';
import { readXlsxRows } from './read-xlsx-rows';
import { SheetError } from './sheet-error';
import { limitExceeded, type SheetLimits } from './sheet-limits';
import { isBlankCell, isBlankRow, type RawSheetRow, type SheetFormat } from './sheet-row';

function readRows(
  format: SheetFormat,
  chunks: AsyncIterable<Buffer>,
  limits: SheetLimits,
): AsyncGenerator<RawSheetRow> {
  switch (format) {
    case 'csv':
      return readCsvRows(chunks, limits);
    case 'xlsx':
      return readXlsxRows(chunks, limits);
    case 'xls':
      return readXlsRows(chunks, limits);
    default:
      throw new SheetError('FORMAT_UNSUPPORTED', `Unknown sheet format "${String(format)}".`);
  }
}

/** Refuses a row wider than allowed or with a cell longer than allowed (what each format's reader could not check before). */
function checkRow(row: RawSheetRow, limits: SheetLimits): void {
  if (row.cells.length > limits.maxColumns) {
    throw limitExceeded('maxColumns', limits, `A row has ${row.cells.length} columns, more than allowed`, {
      row: row.rowNumber,
    });
  }
  row.cells.forEach((cell, columnIndex) => {
    if (typeof cell === 'string' && cell.length > limits.maxCellCharacters) {
      throw limitExceeded(
        'maxCellCharacters',
        limits,
        `A cell holds ${cell.length.toLocaleString('en-US')} characters, more than allowed`,
        { row: row.rowNumber, columnIndex },
      );
    }
  });
}

/**
 * The rows of the first sheet, header included, as the spreadsheet numbers them, within the
 * limits: fully empty rows are skipped (numbering is kept) and trailing empty cells dropped,
 * so a row is never longer than its last filled cell. Runs in the reader's worker thread
 * (`read-loaduser-sheet.ts`); CSV and XLSX are read as they stream, XLS whole.
 */
export async function* readSheetRows(
  format: SheetFormat,
  chunks: AsyncIterable<Buffer>,
  limits: SheetLimits,
): AsyncGenerator<RawSheetRow> {
  let rowsRead = 0;
  for await (const row of readRows(format, chunks, limits)) {
    checkRow(row, limits);
    if (isBlankRow(row.cells)) continue;
    rowsRead += 1;
    // The first row read is the header.
    if (rowsRead - 1 > limits.maxRows) {
      throw limitExceeded('maxRows', limits, 'The file holds more data rows than an import may', {
        row: row.rowNumber,
      });
    }
    let length = row.cells.length;
    while (length > 0 && isBlankCell(row.cells[length - 1])) length -= 1;
    yield length === row.cells.length ? row : { rowNumber: row.rowNumber, cells: row.cells.slice(0, length) };
  }
}
