import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes each inflated chunk of XML on its own, so a
 * multi-byte UTF-8 character (any accent) cut by a chunk boundary turns into "��": rare in
 * small files, certain in large ones. Its XML parser passes strings through untouched, so the
 * fix is to hand it text decoded across chunk boundaries, for worksheets and shared strings,
 * the two parts rows are read from. This reaches into two private methods of the reader;
 * the byte-by-byte reading test fails if a new exceljs version changes them.
 */
interface WorkbookReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNumber: string): Generator<unknown>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}

export function fixExceljsUtf8Decoding(reader: ExcelJS.stream.xlsx.WorkbookReader): void {
  const internals = reader as unknown as Partial<WorkbookReaderInternals>;
  if (typeof internals._parseWorksheet !== 'function' || typeof internals._parseSharedStrings !== 'function') {
    throw new Error('exceljs internals changed: review exceljs-utf8-fix.ts');
  }
  const parseWorksheet = internals._parseWorksheet.bind(reader);
  const parseSharedStrings = internals._parseSharedStrings.bind(reader);
  internals._parseWorksheet = (iterator, sheetNumber) => parseWorksheet(decodeUtf8(iterator), sheetNumber);
  // Shared strings arrive as the zip entry itself: a stream with an encoding emits whole characters.
  internals._parseSharedStrings = (entry) => parseSharedStrings(entry.setEncoding('utf8'));
}
