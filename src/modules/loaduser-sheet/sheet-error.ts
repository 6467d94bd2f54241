/**
 * Why a whole file cannot be read. Row-level problems are `CellIssue`s instead: a file error
 * stops the import, a cell issue only fails its row.
 */
export const SHEET_ERROR_CODES = [
  'FILE_EMPTY',
  'FORMAT_UNSUPPORTED',
  'FILE_UNREADABLE',
  'HEADER_MISMATCH',
  'TEMPLATE_OUTDATED',
  /** A CSV whose bytes are not valid UTF-8 after UTF-8 characters: it mixes encodings. */
  'FILE_ENCODING_INVALID',
  // Limits (sheet-limits.ts): each names the limit and its setting.
  'TOO_MANY_ROWS',
  'TOO_MANY_COLUMNS',
  'CELL_TOO_LONG',
  'FILE_TOO_LARGE_UNPACKED',
  'TOO_MANY_SHARED_STRINGS',
  'SHARED_STRINGS_TOO_LONG',
  /** The reader ran out of its memory on something no other limit caught. */
  'FILE_TOO_COMPLEX',
  /** The reader went silent for longer than it may: stopped, whatever it was stuck on. */
  'FILE_READ_STALLED',
] as const;
export type SheetErrorCode = (typeof SHEET_ERROR_CODES)[number];

export interface SheetErrorDetails {
  /** Column letter (A..AH, or beyond) where the header first differs. */
  column?: string;
  /** The header the template expects in that column. */
  header?: string;
  /** What the file holds there instead. */
  found?: string;
  /** The row (as the spreadsheet numbers it) where a limit was exceeded. */
  row?: number;
  /** The value of the limit exceeded. */
  limit?: number;
  /** The environment variable that sets it. */
  setting?: string;
}

export class SheetError extends Error {
  override readonly name = 'SheetError';

  constructor(
    readonly code: SheetErrorCode,
    message: string,
    readonly details: SheetErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSheetError(error: unknown): error is SheetError {
  return error instanceof SheetError;
}
