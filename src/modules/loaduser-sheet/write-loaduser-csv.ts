import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { format } from 'fast-csv';
import { formatExportRow } from './format-export-row';
import { LIFECYCLE_EXPORT_COLUMNS, LOADUSER_HEADERS } from './loaduser-columns';
import type { LoaduserExportRow } from './loaduser-row-fields';

type ExportRows = AsyncIterable<LoaduserExportRow> | Iterable<LoaduserExportRow>;

/** `lifecycleDates`: the deleted-boxes export's columns AI..AK after AH. */
export interface LoaduserWriteOptions {
  lifecycleDates?: boolean;
}

export function exportHeaders(options: LoaduserWriteOptions): string[] {
  return [
    ...LOADUSER_HEADERS,
    ...(options.lifecycleDates ? LIFECYCLE_EXPORT_COLUMNS.map((column) => column.header) : []),
  ];
}

async function* toRecords(rows: ExportRows, options: LoaduserWriteOptions): AsyncGenerator<string[]> {
  yield exportHeaders(options);
  for await (const row of rows) {
    yield formatExportRow(row, 'csv', options.lifecycleDates).map((cell) =>
      cell instanceof Date ? cell.toISOString() : (cell ?? ''),
    );
  }
}

/**
 * Streams a loaduser CSV the way French Excel opens it with a double click: `;`-separated,
 * UTF-8 with a BOM (without it Excel reads Windows-1252 and garbles accents), CRLF line ends.
 * Ends `out`; resolves once everything is written.
 */
export async function writeLoaduserCsv(
  rows: ExportRows,
  out: Writable,
  options: LoaduserWriteOptions = {},
): Promise<void> {
  const formatter = format<string[], string[]>({
    delimiter: ';',
    rowDelimiter: '\r\n',
    includeEndRowDelimiter: true,
    writeBOM: true,
    quote: '"',
    escape: '"',
  });
  await pipeline(Readable.from(toRecords(rows, options)), formatter, out);
}
