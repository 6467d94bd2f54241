import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadExcelJs } from '../../platform/spreadsheets/load-exceljs';
import { format } from 'fast-csv';
import type { Executor } from '../../db/database';
import type { DownloadFormat } from '../../platform/downloads';
import { AppError } from '../../domain/errors/error-catalogue';
import {
  findImport,
  listImportRows,
  readImportFile,
  type ImportRecord,
  type ImportRowRecord,
} from './imports.repository';
import { LOADUSER_HEADERS, readLoaduserSheet, type SheetLimits } from '../loaduser-sheet';
import { neutraliseFormula } from '../../shared/spreadsheet-safe-text';
import { readCellText } from '../loaduser-sheet/cell-text';

/**
 * The annotated file: the rows of the upload as they were read (columns A–AH), each followed by
 * its row number, its outcome and its errors. French, like the template: spreadsheet users read it.
 */
const OUTCOME_LABELS: Record<ImportRowRecord['outcome'], string> = {
  created: 'créée',
  updated: 'mise à jour',
  unchanged: 'inchangée',
  failed: 'erreur',
};
/** A valid row of an import that wrote nothing (rows failed under `abort`). */
const NOT_APPLIED = 'non appliquée';
export const REPORT_HEADERS = [...LOADUSER_HEADERS, 'Ligne', 'Résultat', 'Erreurs'];
const RESULTS_PAGE = 1000;

async function* importRowsInOrder(executor: Executor, importId: string): AsyncGenerator<ImportRowRecord> {
  for (let afterRow: number | undefined; ;) {
    const rows = await listImportRows(executor, { importId, afterRow, limit: RESULTS_PAGE });
    yield* rows;
    if (rows.length < RESULTS_PAGE) return;
    afterRow = rows[rows.length - 1]!.rowNumber;
  }
}

/** Errors, then warnings marked as such: one line each. */
function describeErrors(result: ImportRowRecord | undefined): string {
  const errors = (result?.errors ?? []).map(
    (error) => `${error.column} (${error.header}) ${error.code} : ${error.message}`,
  );
  const warnings = (result?.warnings ?? []).map(
    (warning) => `Avertissement ${warning.column} (${warning.header}) ${warning.code} : ${warning.message}`,
  );
  return [...errors, ...warnings].join('\n');
}

/** Header first, then every data row of the file merged with its result (both in row order). */
export async function* annotatedRows(
  executor: Executor,
  record: ImportRecord,
  limits: SheetLimits,
): AsyncGenerator<string[]> {
  yield REPORT_HEADERS;
  const results = importRowsInOrder(executor, record.id);
  let next = await results.next();
  let isHeader = true;
  for await (const row of readLoaduserSheet(
    { stream: Readable.from(readImportFile(executor, record.id)), format: record.format },
    limits,
  )) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    while (!next.done && next.value.rowNumber < row.rowNumber) next = await results.next();
    const result = !next.done && next.value.rowNumber === row.rowNumber ? next.value : undefined;
    const cells = LOADUSER_HEADERS.map((_header, index) => neutraliseFormula(readCellText(row.cells[index]) ?? ''));
    const outcome = result ? OUTCOME_LABELS[result.outcome] : NOT_APPLIED;
    yield [...cells, String(row.rowNumber), outcome, neutraliseFormula(describeErrors(result))];
  }
  // The sweep may have deleted the upload while it was read: the file just ends early. Fail the
  // download (a 410 if nothing was sent yet) rather than hand out a cut report as a whole one.
  if ((await findImport(executor, record.id))?.fileDeletedAt) {
    throw new AppError('IMPORT_FILE_DELETED', 'The upload was deleted while its report was being written');
  }
}

export async function writeImportReport(
  rows: AsyncIterable<string[]>,
  target: DownloadFormat,
  out: Writable,
): Promise<void> {
  if (target === 'csv') {
    const formatter = format<string[], string[]>({
      delimiter: ';',
      rowDelimiter: '\r\n',
      includeEndRowDelimiter: true,
      writeBOM: true,
    });
    await pipeline(Readable.from(rows), formatter, out);
    return;
  }
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Rapport', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = REPORT_HEADERS.map((header) => ({ width: Math.max(12, header.length + 2), style: { numFmt: '@' } }));
  let isHeader = true;
  for await (const cells of rows) {
    const row = sheet.addRow(cells);
    if (isHeader) row.font = { bold: true };
    isHeader = false;
    row.commit();
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}
