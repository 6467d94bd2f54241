import { pipeline, Readable } from 'node:stream';
import { parse } from 'fast-csv';
import { CsvRecordBounds, cutAtRecordEnds } from './csv-record-bounds';
import { decodeCsvText } from './decode-csv-text';
import { SheetError } from './sheet-error';
import type { SheetLimits } from './sheet-limits';
import type { RawSheetRow } from './sheet-row';

type CsvDelimiter = ';' | ',';

/** A header line longer than this is not a loaduser header; stop looking for its end. */
const HEADER_SEARCH_LIMIT = 64 * 1024;

/** Excel honours (and hides) a first line `sep=;` that names the delimiter. */
const SEPARATOR_LINE = /^sep=([;,])[ \t]*\r?\n/i;

/** Counts each candidate outside quoted fields and keeps the commonest; French Excel uses `;`. */
export function detectCsvDelimiter(headerLine: string): CsvDelimiter {
  let semicolons = 0;
  let commas = 0;
  let isQuoted = false;
  for (const character of headerLine) {
    if (character === '"') isQuoted = !isQuoted;
    else if (!isQuoted && character === ';') semicolons += 1;
    else if (!isQuoted && character === ',') commas += 1;
  }
  return commas > semicolons ? ',' : ';';
}

/**
 * Streams CSV records as rows. Row numbers count every record, empty ones included, because
 * that is the row number Excel shows when it opens the file (a quoted line break stays inside
 * its row). fast-csv only sees whole records within the column and cell limits
 * (`CsvRecordBounds`), which keeps its work linear.
 */
export async function* readCsvRows(chunks: AsyncIterable<Buffer>, limits: SheetLimits): AsyncGenerator<RawSheetRow> {
  const text = decodeCsvText(chunks);
  let head = '';
  while (!/[\r\n]/.test(head) && head.length < HEADER_SEARCH_LIMIT) {
    const next = await text.next();
    if (next.done) break;
    head += next.value;
  }
  let delimiter: CsvDelimiter;
  const separatorLine = SEPARATOR_LINE.exec(head);
  if (separatorLine) {
    delimiter = separatorLine[1] === ',' ? ',' : ';';
    head = head.slice(separatorLine[0].length);
  } else {
    delimiter = detectCsvDelimiter(head.split(/\r?\n|\r/, 1)[0] ?? '');
  }

  let inputError: unknown;
  async function* replayText(): AsyncGenerator<string> {
    try {
      if (head.length > 0) yield head;
      yield* text;
    } catch (error) {
      inputError = error;
      throw error;
    }
  }
  const source = Readable.from(cutAtRecordEnds(replayText(), new CsvRecordBounds(delimiter, limits)));
  const parser = parse<string[], string[]>({ delimiter, quote: '"', escape: '"' });
  // Failures reach the loop below through the parser, which the pipeline destroys with them.
  pipeline(source, parser, () => undefined);

  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber += 1;
      yield { rowNumber, cells: record.map((cell) => (cell === '' ? null : cell)) };
    }
  } catch (error) {
    if (error === inputError || error instanceof SheetError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SheetError(
      'FILE_UNREADABLE',
      `The CSV file cannot be read after row ${rowNumber}: ${reason}`,
      {},
      { cause: error },
    );
  } finally {
    source.destroy();
    parser.destroy();
  }
}
