import { Readable, Transform, type TransformCallback } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { SheetError } from './sheet-error';
import { limitExceeded, type SheetLimits } from './sheet-limits';

/**
 * Guards against XLSX bombs: a zip of a few MB can inflate to gigabytes (a shared-string table
 * of 6,000,000 strings of 1,000 characters in 16 MB), and exceljs inflates every part, keeps
 * every shared string and, when the worksheet comes before the shared strings (as Excel writes
 * it), copies the inflated worksheet to a temporary file. The guards count what is actually
 * inflated and kept, as it happens, and stop the read at the first limit exceeded.
 *
 * A limit exceeded is reported twice: as an error of the stream or call where it happened
 * (which exceljs passes on when it is reading that part), and through `breach`, which the
 * reader races against exceljs, since exceljs does not watch every stream it pipes (the
 * temporary-file copy) and would wait forever for a part that stopped.
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

/** What unzipper (exceljs's zip reader) gives each entry it pushes: a PassThrough with the header's fields. */
interface ZipEntry extends Transform {
  path?: unknown;
  vars?: { uncompressedSize?: unknown };
}

/** Counts every byte an entry passes on, whatever reads it (a parser, a temporary file, or the drain of skipped parts). */
function countEntry(entry: ZipEntry, guard: XlsxGuard): void {
  const part = typeof entry.path === 'string' ? entry.path : 'unknown';
  const declared = entry.vars?.uncompressedSize;
  // A part nobody reads (exceljs drains it) has nobody listening for its errors either: the
  // limit is reported through `breach`, and the worker must not die of an unhandled error.
  entry.on('error', () => undefined);
  const passOn = entry._transform.bind(entry);
  entry._transform = (chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback) => {
    try {
      guard.countUnpacked(chunk.length, part);
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    passOn(chunk, encoding, callback);
  };
  if (typeof declared === 'number') {
    try {
      guard.checkDeclaredSize(declared, part);
    } catch (error) {
      entry.destroy(error instanceof Error ? error : undefined);
    }
  }
}

/**
 * exceljs pipes its input into unzipper's parser (`input.pipe(zip)`), which pushes one stream
 * per zip entry. Catching that pipe is the one place every entry passes through: each entry's
 * transform is wrapped to count what it inflates. This reaches into how exceljs 4.4 and
 * unzipper 0.10 work; the bomb tests fail if either changes it.
 */
export function guardZipEntries(input: Readable, guard: XlsxGuard): void {
  const pipe = input.pipe.bind(input);
  input.pipe = <Destination extends NodeJS.WritableStream>(
    destination: Destination,
    options?: { end?: boolean },
  ): Destination => {
    if (!(destination instanceof Readable)) throw new Error('exceljs internals changed: review xlsx-guards.ts');
    const push = destination.push.bind(destination);
    destination.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (chunk instanceof Transform) countEntry(chunk, guard);
      return push(chunk, encoding);
    };
    return pipe(destination, options);
  };
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
