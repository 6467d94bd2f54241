import { Readable } from 'node:stream';
import { loadExcelJs } from '../../platform/spreadsheets/load-exceljs';
import { fixExceljsUtf8Decoding } from './exceljs-utf8-fix';
import { SheetError } from './sheet-error';
import type { SheetLimits } from './sheet-limits';
import type { RawSheetRow, SheetCellValue } from './sheet-row';
import { toSheetCellValue } from './xlsx-cell-value';
import { guardSharedStrings, guardZipEntries, XlsxGuard } from './xlsx-guards';

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

function unreadable(reason: string, cause?: unknown): SheetError {
  return new SheetError(
    'FILE_UNREADABLE',
    `The XLSX file cannot be read (${reason}). It may be damaged or cut short: save it again and re-send it.`,
    {},
    { cause },
  );
}

/** exceljs rows are 1-based sparse arrays; rows are returned 0-based and dense from column A. */
function toCells(values: unknown): SheetCellValue[] {
  if (!Array.isArray(values)) return [];
  const cells: SheetCellValue[] = [];
  for (let column = 1; column < values.length; column += 1) cells.push(toSheetCellValue(values[column]));
  return cells;
}

/**
 * Iterates until the guard reports a limit exceeded, whether or not exceljs noticed: it may be
 * left waiting on a part that stopped. The read is over then, and its input destroyed.
 */
async function* untilBreach<T>(iterable: AsyncIterable<T>, guard: XlsxGuard): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  try {
    for (;;) {
      const pending = iterator.next();
      // Once the breach won, this may reject later, with nobody left to listen.
      pending.catch(() => undefined);
      const next = await Promise.race([pending, guard.breach]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void iterator.return?.()?.catch(() => undefined);
  }
}

/**
 * Streams the rows of the first worksheet with exceljs's streaming reader, within the unpacked
 * size and shared-string limits (`xlsx-guards.ts`). Input failures are kept apart from damaged
 * files: exceljs pipes its input without listening for errors, so an input that failed is
 * ended instead, and the error re-thrown once exceljs notices the cut.
 */
export async function* readXlsxRows(chunks: AsyncIterable<Buffer>, limits: SheetLimits): AsyncGenerator<RawSheetRow> {
  const iterator = chunks[Symbol.asyncIterator]();
  let firstChunk = Buffer.alloc(0);
  while (firstChunk.length < ZIP_SIGNATURE.length) {
    const next = await iterator.next();
    if (next.done) break;
    firstChunk = Buffer.concat([firstChunk, next.value]);
  }
  // exceljs never settles on an empty input, so anything that is not a zip stops here.
  if (!firstChunk.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)) {
    await iterator.return?.();
    throw unreadable('not a zip archive');
  }

  let inputError: Error | undefined;
  async function* guardInput(): AsyncGenerator<Buffer> {
    yield firstChunk;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } catch (error) {
      inputError = error instanceof Error ? error : new Error(String(error));
    } finally {
      await iterator.return?.();
    }
  }
  const source = Readable.from(guardInput(), { objectMode: false });
  const guard = new XlsxGuard(limits);
  guardZipEntries(source, guard);
  const ExcelJS = await loadExcelJs();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell date cells from numbers; hyperlinks would replace a cell's value by an object.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  fixExceljsUtf8Decoding(reader);
  guardSharedStrings(reader, guard);

  let hasWorksheet = false;
  try {
    for await (const worksheet of untilBreach(reader, guard)) {
      hasWorksheet = true;
      for await (const row of untilBreach(worksheet, guard)) {
        yield { rowNumber: row.number, cells: toCells(row.values) };
      }
      break; // Only the first worksheet holds rows; a "Notice" sheet may follow.
    }
  } catch (error) {
    if (inputError !== undefined) throw inputError;
    if (error instanceof SheetError) throw error;
    throw unreadable(error instanceof Error ? error.message : String(error), error);
  } finally {
    source.destroy();
  }
  if (inputError !== undefined) throw inputError;
  if (!hasWorksheet) throw unreadable('it holds no worksheet');
}
