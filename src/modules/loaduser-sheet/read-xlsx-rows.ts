import { Readable } from 'node:stream';
import { loadExcelJs } from '../../platform/spreadsheets/load-exceljs';
import { fixExceljsUtf8Decoding } from './exceljs-utf8-fix';
import { SheetError } from './sheet-error';
import type { SheetLimits } from './sheet-limits';
import type { RawSheetRow, SheetCellValue } from './sheet-row';
import { toSheetCellValue } from './xlsx-cell-value';
import { readFirstWorksheet } from './exceljs-workbook-parts';
import { XlsxArchive } from './xlsx-archive';
import { guardSharedStrings, XlsxGuard } from './xlsx-guards';

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
 * left waiting on a part that stopped. The read is over then.
 *
 * The breach is listened to once, not raced at each row: `Promise.race([next, breach])` adds a
 * reaction to the never-settling breach per call, and each keeps its row alive, so a 100,000-row
 * sheet held every row it had read (850 MB of heap, measured) until the read ended.
 */
async function* untilBreach<T>(iterable: AsyncIterable<T>, guard: XlsxGuard): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let breach: { error: unknown } | undefined;
  let interruptWait: ((error: unknown) => void) | undefined;
  guard.breach.catch((error: unknown) => {
    breach = { error };
    interruptWait?.(error);
  });
  try {
    for (;;) {
      if (breach) throw breach.error;
      const next = await new Promise<IteratorResult<T>>((resolve, reject) => {
        interruptWait = reject;
        // Once the breach won, this may reject later: the promise it would reject is settled already.
        iterator.next().then(resolve, reject);
      });
      interruptWait = undefined;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    interruptWait = undefined;
    void iterator.return?.()?.catch(() => undefined);
  }
}

/**
 * Streams the rows of the first worksheet with exceljs's row reader, within the unpacked size
 * and shared-string limits (`xlsx-guards.ts`). The upload is written to disk first and its parts
 * read at random (`xlsx-archive.ts`): the shared strings before the worksheet, wherever the zip
 * has them. The input's own failures are thrown as they are, apart from damaged files.
 */
export async function* readXlsxRows(chunks: AsyncIterable<Buffer>, limits: SheetLimits): AsyncGenerator<RawSheetRow> {
  const iterator = chunks[Symbol.asyncIterator]();
  let firstChunk = Buffer.alloc(0);
  while (firstChunk.length < ZIP_SIGNATURE.length) {
    const next = await iterator.next();
    if (next.done) break;
    firstChunk = Buffer.concat([firstChunk, next.value]);
  }
  // Anything that is not a zip stops here, before it is written to disk.
  if (!firstChunk.subarray(0, ZIP_SIGNATURE.length).equals(ZIP_SIGNATURE)) {
    await iterator.return?.();
    throw unreadable('not a zip archive');
  }
  let inputError: Error | undefined;
  async function* wholeInput(): AsyncGenerator<Buffer> {
    yield firstChunk;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } catch (error) {
      inputError = error instanceof Error ? error : new Error(String(error));
      throw inputError;
    }
  }
  const archive = await XlsxArchive.spool(wholeInput()).catch((error: unknown) => {
    if (inputError !== undefined) throw inputError;
    throw unreadable(error instanceof Error ? error.message : String(error), error);
  });

  const guard = new XlsxGuard(limits);
  try {
    const ExcelJS = await loadExcelJs();
    // Never asked to parse its input: `readFirstWorksheet` hands it the archive's parts one by one.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      // Styles tell date cells from numbers; hyperlinks would replace a cell's value by an object.
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    fixExceljsUtf8Decoding(reader);
    guardSharedStrings(reader, guard);
    const worksheet = await readFirstWorksheet(reader, archive, guard);
    for await (const row of untilBreach(worksheet, guard)) {
      yield { rowNumber: row.number, cells: toCells(row.values) };
    }
  } catch (error) {
    if (error instanceof SheetError) throw error;
    throw unreadable(error instanceof Error ? error.message : String(error), error);
  } finally {
    await archive.close();
  }
}
