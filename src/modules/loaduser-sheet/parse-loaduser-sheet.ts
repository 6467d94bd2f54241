import { assertHeaderRow } from './check-header-row';
import type { ParsedLoaduserRow } from './loaduser-row-fields';
import { parseLoaduserRow } from './parse-loaduser-row';
import { readLoaduserSheet } from './read-loaduser-sheet';
import { SheetError } from './sheet-error';
import { DEFAULT_SHEET_LIMITS, type SheetLimits } from './sheet-limits';
import type { SheetInput } from './sheet-row';

/**
 * The whole reading chain for an import: rows of the first sheet, the first non-empty row
 * checked as the template header (a `SheetError` refuses the file), then each data row parsed
 * within the width that header allows.
 * Streams: one row at a time, within `limits`.
 */
export async function* parseLoaduserSheet(
  input: SheetInput,
  limits: SheetLimits = DEFAULT_SHEET_LIMITS,
): AsyncGenerator<ParsedLoaduserRow> {
  let width: number | undefined;
  for await (const row of readLoaduserSheet(input, limits)) {
    if (width === undefined) {
      width = assertHeaderRow(row.cells);
      continue;
    }
    yield { rowNumber: row.rowNumber, ...parseLoaduserRow(row, width) };
  }
  if (width === undefined) throw new SheetError('FILE_EMPTY', 'The file holds no rows, not even the header row.');
}
