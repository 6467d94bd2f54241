import { SHEET_LIMIT_SETTINGS, type SheetLimits } from '../../config/sheet-limits';
import { toColumnLetter } from './loaduser-columns';
import { SheetError, type SheetErrorCode } from './sheet-error';

// The limits themselves are settings (config/sheet-limits.ts); here, what exceeding one reports.
export { DEFAULT_SHEET_LIMITS, SHEET_LIMIT_SETTINGS, type SheetLimits } from '../../config/sheet-limits';

const CODES: Record<keyof SheetLimits, SheetErrorCode> = {
  maxRows: 'TOO_MANY_ROWS',
  maxColumns: 'TOO_MANY_COLUMNS',
  maxCellCharacters: 'CELL_TOO_LONG',
  maxUnpackedBytes: 'FILE_TOO_LARGE_UNPACKED',
  maxSharedStrings: 'TOO_MANY_SHARED_STRINGS',
  maxSharedStringCharacters: 'SHARED_STRINGS_TOO_LONG',
  readerMemoryMb: 'FILE_TOO_COMPLEX',
  readerIdleSeconds: 'FILE_READ_STALLED',
};

const formatCount = (value: number) => value.toLocaleString('en-US');

/** Where in the file a limit was exceeded, when it is one row or one cell. */
export interface LimitPlace {
  row?: number;
  /** 0-based column index. */
  columnIndex?: number;
}

/**
 * The error of an exceeded limit: its own code, the limit and the setting that raises it in the
 * message and the details, and the row and column when there is one.
 */
export function limitExceeded(
  limit: keyof SheetLimits,
  limits: SheetLimits,
  what: string,
  place: LimitPlace = {},
): SheetError {
  const value = limits[limit];
  const setting = SHEET_LIMIT_SETTINGS[limit];
  const column = place.columnIndex === undefined ? undefined : toColumnLetter(place.columnIndex);
  const where = [place.row === undefined ? '' : `row ${place.row}`, column === undefined ? '' : `column ${column}`]
    .filter(Boolean)
    .join(', ');
  const message = `${what}${where ? ` (${where})` : ''}: the limit is ${formatCount(value)} (${setting}). Split or simplify the file, or ask the operator to raise ${setting}.`;
  return new SheetError(CODES[limit], message, { row: place.row, column, limit: value, setting });
}
