import type { Readable } from 'node:stream';

export const SHEET_FORMATS = ['csv', 'xlsx', 'xls'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

/** A cell as the spreadsheet holds it: text, a number, a date, a boolean, or nothing. */
export type SheetCellValue = string | number | Date | boolean | null;

export interface RawSheetRow {
  /** The row number the spreadsheet shows; the header is row 1. */
  rowNumber: number;
  /** Cells from column A onwards; `null` for an empty cell. */
  cells: SheetCellValue[];
}

export type SheetInputStream = NodeJS.ReadableStream | Readable;

export interface SheetInput {
  stream: SheetInputStream;
  format: SheetFormat;
}

export function isBlankCell(value: SheetCellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

export function isBlankRow(cells: readonly SheetCellValue[]): boolean {
  return cells.every(isBlankCell);
}

export function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Iterates any readable (modern or legacy typing) as a sequence of byte chunks. */
export async function* iterateChunks(stream: SheetInputStream): AsyncGenerator<Buffer> {
  for await (const chunk of stream as AsyncIterable<Buffer | Uint8Array | string>) {
    yield toBuffer(chunk);
  }
}
