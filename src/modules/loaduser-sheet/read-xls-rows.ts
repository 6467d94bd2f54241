import type * as XLSX from '@e965/xlsx';
import { excelSerialToDate } from './excel-serial-date';
import { SheetError } from './sheet-error';
import { limitExceeded, type SheetLimits } from './sheet-limits';
import type { RawSheetRow, SheetCellValue } from './sheet-row';

/**
 * Excel 97–2003 files top out at 65,536 rows; a loaduser at that size stays well under this.
 * The format cannot be streamed, so anything larger is refused rather than loaded.
 */
const MAXIMUM_XLS_BYTES = 32 * 1024 * 1024;

const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The most rows an .xls sheet can have; a range past it comes from a crafted file. */
const XLS_MAXIMUM_ROWS = 65_536;

function unreadable(reason: string, cause?: unknown): SheetError {
  return new SheetError(
    'FILE_UNREADABLE',
    `The XLS file cannot be read (${reason}). Save it again as .xlsx or .csv and re-send it.`,
    {},
    { cause },
  );
}

async function collectBytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    length += chunk.length;
    if (length > MAXIMUM_XLS_BYTES) throw unreadable('larger than the old .xls format allows');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

type SheetJs = typeof XLSX;

/**
 * SheetJS is loaded on the first .xls only: it weighs some 30 MB in memory, and every other
 * format (and every process that never sees an .xls) does without it.
 */
let sheetJs: Promise<SheetJs> | undefined;
const loadSheetJs = (): Promise<SheetJs> => (sheetJs ??= import('@e965/xlsx'));

function toCellValue(
  cell: XLSX.CellObject | undefined,
  isDate1904: boolean,
  isDateFormat: (format: string) => boolean,
): SheetCellValue {
  if (!cell) return null;
  switch (cell.t) {
    case 'n': {
      const value = Number(cell.v);
      const isDate = typeof cell.z === 'string' && isDateFormat(cell.z);
      return (isDate ? excelSerialToDate(value, isDate1904) : undefined) ?? value;
    }
    case 's':
      return typeof cell.v === 'string' ? cell.v : String(cell.v ?? '');
    case 'b':
      return Boolean(cell.v);
    case 'd':
      return cell.v instanceof Date ? cell.v : null;
    case 'e':
      return cell.w ?? '#ERROR';
    default:
      return null;
  }
}

function readWorkbook(XLSX: SheetJs, bytes: Buffer): XLSX.WorkBook {
  // SheetJS reads almost anything (CSV, HTML…) as a workbook: only an OLE container is an .xls.
  if (!bytes.subarray(0, OLE_SIGNATURE.length).equals(OLE_SIGNATURE)) throw unreadable('not an Excel 97–2003 file');
  try {
    return XLSX.read(bytes, {
      type: 'buffer',
      sheets: 0,
      cellNF: true,
      cellDates: false,
      cellHTML: false,
      cellFormula: false,
    });
  } catch (error) {
    throw unreadable(error instanceof Error ? error.message : String(error), error);
  }
}

/**
 * Reads the first sheet of a legacy .xls file (held in memory: the format is not streamable;
 * the reader's worker thread bounds what SheetJS may take). Rows are produced over the sheet's
 * range, so a range wider than the column limit or taller than the format is refused first.
 */
export async function* readXlsRows(chunks: AsyncIterable<Buffer>, limits: SheetLimits): AsyncGenerator<RawSheetRow> {
  const bytes = await collectBytes(chunks);
  const XLSX = await loadSheetJs();
  const isDateFormat = (format: string) => (XLSX.SSF as { is_date(format: string): boolean }).is_date(format);
  const workbook = readWorkbook(XLSX, bytes);
  const firstName = workbook.SheetNames[0];
  const sheet = firstName === undefined ? undefined : workbook.Sheets[firstName];
  if (!sheet) throw unreadable('it holds no worksheet');
  const reference = sheet['!ref'];
  if (!reference) return;
  const range = XLSX.utils.decode_range(reference);
  if (range.e.c + 1 > limits.maxColumns) {
    throw limitExceeded('maxColumns', limits, `The sheet spans ${range.e.c + 1} columns, more than allowed`);
  }
  if (range.e.r + 1 > XLS_MAXIMUM_ROWS)
    throw unreadable(`its sheet claims ${range.e.r + 1} rows, more than the .xls format holds`);
  const isDate1904 = workbook.Workbook?.WBProps?.date1904 === true;
  for (let row = range.s.r; row <= range.e.r; row += 1) {
    const cells: SheetCellValue[] = [];
    for (let column = 0; column <= range.e.c; column += 1) {
      const cell = sheet[XLSX.utils.encode_cell({ r: row, c: column })] as XLSX.CellObject | undefined;
      cells.push(toCellValue(cell, isDate1904, isDateFormat));
    }
    yield { rowNumber: row + 1, cells };
  }
}
