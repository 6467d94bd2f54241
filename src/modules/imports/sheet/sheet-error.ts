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
] as const;
export type SheetErrorCode = (typeof SHEET_ERROR_CODES)[number];

export interface SheetErrorDetails {
  /** Column letter (A..AH, or beyond) where the header first differs. */
  column?: string;
  /** The header the template expects in that column. */
  header?: string;
  /** What the file holds there instead. */
  found?: string;
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
