import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../platform/spreadsheets/load-exceljs';
import { formatExportRow } from './format-export-row';
import { LIFECYCLE_EXPORT_COLUMNS, LOADUSER_COLUMNS } from './loaduser-columns';
import { NOTICE_COLUMN_NOTES, NOTICE_RULES } from './loaduser-notice';
import type { LoaduserExportRow } from './loaduser-row-fields';
import { exportHeaders, type LoaduserWriteOptions } from './write-loaduser-csv';

type ExportRows = AsyncIterable<LoaduserExportRow> | Iterable<LoaduserExportRow>;
type WorksheetWriter = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

export const LOADUSER_SHEET_NAME = 'Loaduser';
export const NOTICE_SHEET_NAME = 'Notice';

/** Text format on every column, so that numbers typed later (RPPS, postal codes) keep their digits. */
const TEXT_FORMAT = '@';
const DATE_FORMAT = 'dd/mm/yyyy';
const EXPIRY_COLUMN_NUMBER = (LOADUSER_COLUMNS.find((column) => column.field === 'expiresAt')?.index ?? 0) + 1;

const LIFECYCLE_COLUMN_NUMBERS = LIFECYCLE_EXPORT_COLUMNS.map((column) => column.index + 1);

function addLoaduserSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  options: LoaduserWriteOptions,
): WorksheetWriter {
  const sheet = workbook.addWorksheet(LOADUSER_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  const dateColumns = options.lifecycleDates ? LIFECYCLE_EXPORT_COLUMNS : [];
  const dateFields = new Set<string>(['expiresAt', ...dateColumns.map((column) => column.field)]);
  sheet.columns = [...LOADUSER_COLUMNS, ...dateColumns].map((column) => ({
    key: column.field,
    width: Math.max(12, column.header.length + 2),
    style: { numFmt: dateFields.has(column.field) ? DATE_FORMAT : TEXT_FORMAT },
  }));
  const header = sheet.addRow(exportHeaders(options));
  header.font = { bold: true };
  header.commit();
  return sheet;
}

function addNoticeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const sheet = workbook.addWorksheet(NOTICE_SHEET_NAME);
  sheet.columns = [{ width: 10 }, { width: 28 }, { width: 13 }, { width: 100 }];
  for (const rule of NOTICE_RULES) sheet.addRow(['', rule]).commit();
  sheet.addRow([]).commit();
  const header = sheet.addRow(['Colonne', 'En-tête', 'Obligatoire', 'Contenu et valeurs acceptées']);
  header.font = { bold: true };
  header.commit();
  for (const column of LOADUSER_COLUMNS) {
    const note = NOTICE_COLUMN_NOTES[column.field];
    sheet.addRow([column.letter, column.header, note.isRequired ? 'Oui' : '', note.content]).commit();
  }
  sheet.commit();
}

/**
 * Streams a loaduser XLSX: the rows on sheet "Loaduser", then the "Notice" sheet. Each row is
 * committed as soon as it is added, and writing waits whenever `out` asks to, so a large export
 * never sits whole in memory. Ends `out`; resolves once everything is written.
 */
export async function writeLoaduserXlsx(
  rows: ExportRows,
  out: Writable,
  options: LoaduserWriteOptions = {},
): Promise<void> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = addLoaduserSheet(workbook, options);
  const dateColumnNumbers = [EXPIRY_COLUMN_NUMBER, ...(options.lifecycleDates ? LIFECYCLE_COLUMN_NUMBERS : [])];
  for await (const row of rows) {
    const added = sheet.addRow(formatExportRow(row, 'xlsx', options.lifecycleDates));
    for (const number of dateColumnNumbers) {
      const cell = added.getCell(number);
      if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
    }
    added.commit();
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  addNoticeSheet(workbook);
  await workbook.commit();
}
