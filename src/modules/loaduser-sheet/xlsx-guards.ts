import type ExcelJS from 'exceljs';
import type { SheetError } from './sheet-error';
import { limitExceeded, type SheetLimits } from './sheet-limits';

/**
 * Guards against XLSX bombs: a zip of a few MB can inflate to gigabytes (a shared-string table
 * of 6,000,000 strings of 1,000 characters in 16 MB), and exceljs keeps every shared string.
 * The guards count what is actually inflated (`XlsxArchive.open`) and kept, as it happens, and
 * stop the read at the first limit exceeded.
 *
 * A limit exceeded is reported twice: as an error of the stream or call where it happened
 * (which exceljs passes on when it is reading that part), and through `breach`, which the
 * reader races against exceljs, so that a parser left waiting on a part that stopped cannot
 * hold the read.
 */
export class XlsxGuard {
  private unpackedBytes = 0;
  private sharedStringCount = 0;
  private sharedStringCharacters = 0;
  private rejectBreach: (error: SheetError) => void = () => undefined;
  /** Rejects with the first limit exceeded; never resolves. */
  readonly breach: Promise<never>;

  constructor(private readonly limits: SheetLimits) {
    this.breach = new Promise<never>((_resolve, reject) => {
      this.rejectBreach = reject;
    });
    // Only raced, possibly never: a rejection nobody awaited must not count as unhandled.
    this.breach.catch(() => undefined);
  }

  private fail(error: SheetError): SheetError {
    this.rejectBreach(error);
    return error;
  }

  /** Counts the bytes a part inflates to, as they come out of the inflater. */
  countUnpacked(bytes: number, part: string): void {
    this.unpackedBytes += bytes;
    if (this.unpackedBytes > this.limits.maxUnpackedBytes) {
      throw this.fail(
        limitExceeded(
          'maxUnpackedBytes',
          this.limits,
          `The XLSX file unpacks to more bytes than allowed (reached in its part "${part}")`,
        ),
      );
    }
  }

  /** Refuses at once a part whose zip header announces more than the bytes left (lower sizes prove nothing). */
  checkDeclaredSize(declaredBytes: number, part: string): void {
    if (this.unpackedBytes + declaredBytes > this.limits.maxUnpackedBytes) {
      throw this.fail(
        limitExceeded(
          'maxUnpackedBytes',
          this.limits,
          `The XLSX file's part "${part}" announces ${declaredBytes.toLocaleString('en-US')} bytes unpacked, more than allowed`,
        ),
      );
    }
  }

  /** Counts one shared string as exceljs keeps it: text, rich text (runs of text) or nothing. */
  countSharedString(value: unknown): void {
    this.sharedStringCount += 1;
    if (this.sharedStringCount > this.limits.maxSharedStrings) {
      throw this.fail(
        limitExceeded(
          'maxSharedStrings',
          this.limits,
          'The XLSX file holds more shared strings (distinct cell texts) than allowed',
        ),
      );
    }
    const length = textLengthOf(value);
    if (length > this.limits.maxCellCharacters) {
      throw this.fail(
        limitExceeded(
          'maxCellCharacters',
          this.limits,
          `The XLSX file holds a text of ${length.toLocaleString('en-US')} characters, longer than a cell may be`,
        ),
      );
    }
    this.sharedStringCharacters += length;
    if (this.sharedStringCharacters > this.limits.maxSharedStringCharacters) {
      throw this.fail(
        limitExceeded(
          'maxSharedStringCharacters',
          this.limits,
          "The XLSX file's shared strings hold more characters, together, than allowed",
        ),
      );
    }
  }
}

function textLengthOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null || !('richText' in value) || !Array.isArray(value.richText)) return 0;
  let length = 0;
  for (const run of value.richText as unknown[]) {
    if (typeof run === 'object' && run !== null && 'text' in run && typeof run.text === 'string')
      length += run.text.length;
  }
  return length;
}

/**
 * exceljs keeps shared strings in an array it creates, `reader.sharedStrings`, and `push`es
 * each string as it is read: the array it gets counts each one on its way in.
 */
export function guardSharedStrings(reader: ExcelJS.stream.xlsx.WorkbookReader, guard: XlsxGuard): void {
  let strings: unknown;
  Object.defineProperty(reader, 'sharedStrings', {
    configurable: true,
    get: () => strings,
    set: (value: unknown) => {
      if (!Array.isArray(value)) {
        strings = value;
        return;
      }
      const counted: unknown[] = [...(value as unknown[])];
      counted.push = (...items: unknown[]): number => {
        for (const item of items) guard.countSharedString(item);
        return Array.prototype.push.apply(counted, items);
      };
      strings = counted;
    },
  });
}
