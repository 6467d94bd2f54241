import {
  LIFECYCLE_EXPORT_COLUMNS,
  LOADUSER_COLUMNS,
  normaliseHeader,
  TEMPLATE_DOWNLOAD_ROUTE,
  TEMPLATE_VERSION,
  toColumnLetter,
} from './loaduser-columns';
import { SheetError } from './sheet-error';
import { isBlankCell, type SheetCellValue } from './sheet-row';

/** `width`: the columns the file may fill, A..AH, or A..AK for the deleted-boxes export's own columns. */
export type HeaderCheck = { ok: true; width: number } | { ok: false; error: SheetError };

const EMAIL_HEADER = normaliseHeader(LOADUSER_COLUMNS[0]?.header ?? '');
const DOWNLOAD_ADVICE = `Download the current template from ${TEMPLATE_DOWNLOAD_ROUTE} and copy your rows into it.`;

function toHeaderText(value: SheetCellValue | undefined): string {
  if (value === null || value === undefined) return '';
  return value instanceof Date ? value.toISOString() : String(value).trim();
}

function describeCell(column: string, found: string): string {
  return found === '' ? `column ${column} is empty` : `column ${column} holds "${found}"`;
}

/**
 * Compares a header row with template version 2, trimmed, case- and accent-insensitively.
 * An older loaduser (column A right, the rest not) gets its own code so that the message can
 * point to the current template; anything else is not a loaduser header at all.
 */
export function checkHeaderRow(cells: readonly SheetCellValue[]): HeaderCheck {
  const headers = cells.map(toHeaderText);
  while (headers.length > 0 && isBlankCell(headers[headers.length - 1] ?? null)) headers.pop();

  const lifecycleWidth = LOADUSER_COLUMNS.length + LIFECYCLE_EXPORT_COLUMNS.length;
  const hasLifecycleColumns =
    headers.length === lifecycleWidth &&
    LIFECYCLE_EXPORT_COLUMNS.every(
      (column) => normaliseHeader(headers[column.index] ?? '') === normaliseHeader(column.header),
    );
  if (hasLifecycleColumns) headers.length = LOADUSER_COLUMNS.length;

  const width = Math.max(headers.length, LOADUSER_COLUMNS.length);
  for (let index = 0; index < width; index += 1) {
    const found = headers[index] ?? '';
    const expected = LOADUSER_COLUMNS[index];
    if (expected && normaliseHeader(found) === normaliseHeader(expected.header)) continue;

    const column = toColumnLetter(index);
    if (!expected) {
      const message = `Column ${column} ("${found}") is not part of loaduser template version ${TEMPLATE_VERSION}, which ends at column AH: remove it.`;
      return { ok: false, error: new SheetError('HEADER_MISMATCH', message, { column, found }) };
    }
    const details = { column, header: expected.header, found };
    const mismatch = `${describeCell(column, found)} where "${expected.header}" is expected`;
    if (normaliseHeader(headers[0] ?? '') === EMAIL_HEADER) {
      const message = `This file follows an older loaduser template: ${mismatch} (template version ${TEMPLATE_VERSION} has ${LOADUSER_COLUMNS.length} columns, A to AH). ${DOWNLOAD_ADVICE}`;
      return { ok: false, error: new SheetError('TEMPLATE_OUTDATED', message, details) };
    }
    const message = `The first row is not the loaduser header: ${mismatch}. ${DOWNLOAD_ADVICE}`;
    return { ok: false, error: new SheetError('HEADER_MISMATCH', message, details) };
  }
  return { ok: true, width: hasLifecycleColumns ? lifecycleWidth : LOADUSER_COLUMNS.length };
}

/** Throws the `SheetError` of `checkHeaderRow` when the header does not match; else the width the rows may fill. */
export function assertHeaderRow(cells: readonly SheetCellValue[]): number {
  const check = checkHeaderRow(cells);
  if (!check.ok) throw check.error;
  return check.width;
}
