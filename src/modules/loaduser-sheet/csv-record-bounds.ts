import { limitExceeded, type SheetLimits } from './sheet-limits';

const QUOTE = 0x22;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Follows the structure of CSV text (quotes, delimiters, line ends) chunk after chunk, before
 * fast-csv sees it, for two reasons:
 * - fast-csv parses a record again from its start each time more of it arrives, so one huge
 *   field or line costs the square of its size (a 20 MB line of commas ran for minutes). Here
 *   a field or a line that exceeds the limits fails as soon as it does, and fast-csv is only
 *   ever handed whole records (`scan` says where the last one ends), so it reads each once;
 * - the limits then hold before anything is built from the text.
 * A field is measured raw, quotes included: a cell at the limit, all quotes (each doubled),
 * takes twice the limit plus its two enclosing quotes. The exact cell length is checked on the
 * parsed row.
 */
export class CsvRecordBounds {
  private isQuoted = false;
  private fieldLength = 0;
  private columnCount = 1;
  private wasCarriageReturn = false;
  /** The record being scanned, numbered as fast-csv will number it. */
  private recordNumber = 1;
  private readonly delimiter: number;
  private readonly maxRawFieldLength: number;

  constructor(
    delimiter: string,
    private readonly limits: SheetLimits,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxRawFieldLength = 2 * limits.maxCellCharacters + 2;
  }

  /** Scans the next piece of text; returns where the last whole record in it ends (0: none does). */
  scan(text: string): number {
    let lastRecordEnd = 0;
    for (let index = 0; index < text.length; index += 1) {
      const character = text.charCodeAt(index);
      const isLineFeedOfCrLf = character === LINE_FEED && this.wasCarriageReturn;
      this.wasCarriageReturn = false;
      if (character === QUOTE) {
        // A doubled quote inside quotes toggles twice: it stays quoted, as it should.
        this.isQuoted = !this.isQuoted;
        this.fieldLength += 1;
      } else if (this.isQuoted) {
        this.fieldLength += 1;
      } else if (character === this.delimiter) {
        this.columnCount += 1;
        this.fieldLength = 0;
        if (this.columnCount > this.limits.maxColumns) {
          throw limitExceeded('maxColumns', this.limits, 'A row has more columns than allowed', {
            row: this.recordNumber,
          });
        }
        continue;
      } else if (character === LINE_FEED || character === CARRIAGE_RETURN) {
        if (!isLineFeedOfCrLf) this.recordNumber += 1;
        this.wasCarriageReturn = character === CARRIAGE_RETURN;
        this.columnCount = 1;
        this.fieldLength = 0;
        lastRecordEnd = index + 1;
        continue;
      } else {
        this.fieldLength += 1;
      }
      if (this.fieldLength > this.maxRawFieldLength) {
        const place = { row: this.recordNumber, columnIndex: this.columnCount - 1 };
        throw limitExceeded('maxCellCharacters', this.limits, 'A cell is longer than allowed', place);
      }
    }
    return lastRecordEnd;
  }
}

/**
 * Passes text on in pieces that end with a whole record (the text after the last record end
 * waits for the next piece), checking the limits on the way.
 */
export async function* cutAtRecordEnds(text: AsyncIterable<string>, bounds: CsvRecordBounds): AsyncGenerator<string> {
  let pending = '';
  for await (const piece of text) {
    const end = bounds.scan(piece);
    if (end === 0) {
      pending += piece;
      continue;
    }
    yield pending + piece.slice(0, end);
    pending = piece.slice(end);
  }
  if (pending.length > 0) yield pending;
}
