import { assertHeaderRow } from './check-header-row';
import type { ParsedLoaduserRow } from './loaduser-row-fields';
import { parseLoaduserRow } from './parse-loaduser-row';
import { readLoaduserSheet } from './read-loaduser-sheet';
import { SheetError } from './sheet-error';
import type { SheetInput } from './sheet-row';

/**
 * The whole reading chain for an import: rows of the first sheet, the first non-empty row
 * checked as the template header (a `SheetError` refuses the file), then each data row parsed.
 * Streams: one row at a time.
 */
export async function* parseLoaduserSheet(input: SheetInput): AsyncGenerator<ParsedLoaduserRow> {
  let hasHeader = false;
  for await (const row of readLoaduserSheet(input)) {
    if (!hasHeader) {
      assertHeaderRow(row.cells);
      hasHeader = true;
      continue;
    }
    yield { rowNumber: row.rowNumber, ...parseLoaduserRow(row) };
  }
  if (!hasHeader) throw new SheetError('FILE_EMPTY', 'The file holds no rows, not even the header row.');
}
