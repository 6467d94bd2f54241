import { isUtf8 } from 'node:buffer';
import type { ErrorDetail } from '../../domain/errors/error-catalogue';
import { Cell } from './extraction-cell';
import { checkExtractionHeader, EXTRACTION_COLUMN_COUNT, EXTRACTION_COLUMNS } from './extraction-format';

/** Bytes that are not the extraction; `details` say why (the upload's 415). */
export class NotTheExtractionError extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super(details[0]?.message ?? 'Not the ANS extraction');
  }
}

export interface ExtractionCounts {
  /** Data lines read (the header and blank lines aside). */
  linesRead: number;
  /** Professionals kept: lines of a box held under an RPPS, with an exercise name. */
  rows: number;
  /** Lines without the layout's 31 columns (ignored). */
  malformedLines: number;
}

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const SEPARATOR = 0x7c;
/** `Type Identifiant PP` 8: the `Identifiant PP` is an RPPS number. */
const RPPS_ID_TYPE = 0x38;
/** The header is the first line; a longer first "line" is not the extraction. */
const HEADER_MAX_BYTES = 16 * 1024;
/** Lines are a few hundred bytes: no line end in this many is not a text file. */
const LINE_MAX_BYTES = 1024 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);
const LINE_END = Buffer.from([LF]);

const notUtf8Text = (message: string) => new NotTheExtractionError([{ field: 'file', code: 'FILE_NOT_UTF8', message }]);

const isBlank = (bytes: Buffer, start: number, end: number) => bytes.toString('utf8', start, end).trim() === '';

/**
 * Reads the ANS extraction as its bytes arrive and answers what the reference keeps, in the
 * staging format: one line per professional, `rpps TAB last name TAB first name TAB profession LF`,
 * UTF-8, an empty cell for a missing value, control characters in a cell turned into spaces. The
 * rows come in batches of about BATCH_BYTES: fewer, larger writes to the database.
 *
 * It works on the bytes: decoding 100 MB into JavaScript strings alone takes about a second
 * (non-Latin-1 names such as `CŒUR` make every string two bytes a character). Only complete lines
 * are read, so a multi-byte character is never cut (0x0A never occurs inside one). The header is
 * checked as soon as it has arrived; then each run of lines must be UTF-8 without NUL.
 */
export class ExtractionReader {
  static readonly BATCH_BYTES = 256 * 1024;
  readonly counts: ExtractionCounts = { linesRead: 0, rows: 0, malformedLines: 0 };
  private bytesRead = 0;
  private isHeaderRead = false;
  /** The start of a line whose end has not arrived yet. */
  private pending: Buffer = EMPTY;
  /** Staged rows not handed out yet: the first `batchLength` bytes. */
  private batch: Buffer = EMPTY;
  private batchLength = 0;
  /** Where the current line's separators are (reused from line to line). */
  private readonly separators = new Int32Array(EXTRACTION_COLUMN_COUNT - 1);
  private readonly idType = new Cell();
  private readonly rpps = new Cell();
  private readonly lastName = new Cell();
  private readonly firstName = new Cell();
  private readonly profession = new Cell();

  /** A batch of staged rows once these bytes fill one, or an empty buffer. */
  push(bytes: Buffer): Buffer {
    this.bytesRead += bytes.length;
    const lastLineEnd = bytes.lastIndexOf(LF);
    if (lastLineEnd === -1) {
      this.pending = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
      this.checkPendingLength();
      return EMPTY;
    }
    // A kept line is never longer staged than read (31 columns shrink to 4): room for as many bytes as arrived.
    const full = this.makeRoom(this.pending.length + lastLineEnd + 1);
    let start = 0;
    if (this.pending.length > 0) {
      start = bytes.indexOf(LF) + 1;
      this.readLines(Buffer.concat([this.pending, bytes.subarray(0, start)]));
    }
    this.readLines(bytes.subarray(start, lastLineEnd + 1));
    this.pending = bytes.subarray(lastLineEnd + 1);
    return full;
  }

  /** The last staged rows, once the upload has ended (a file may end without a line end). */
  end(): Buffer {
    if (this.bytesRead === 0)
      throw new NotTheExtractionError([{ field: 'file', code: 'FILE_EMPTY', message: 'The file is empty' }]);
    if (this.pending.length > 0) {
      const lines = Buffer.concat([this.pending, LINE_END]);
      this.pending = EMPTY;
      this.makeRoom(lines.length);
      this.readLines(lines);
    }
    const rest = this.batch.subarray(0, this.batchLength);
    this.batch = EMPTY;
    this.batchLength = 0;
    return rest;
  }

  /** Makes room for `bytes` more staged bytes: answers the batch it had to hand out for that, if any. */
  private makeRoom(bytes: number): Buffer {
    if (this.batchLength + bytes <= this.batch.length) return EMPTY;
    const full = this.batch.subarray(0, this.batchLength);
    this.batch = Buffer.allocUnsafe(Math.max(ExtractionReader.BATCH_BYTES, bytes));
    this.batchLength = 0;
    return full;
  }

  private checkPendingLength(): void {
    if (!this.isHeaderRead && this.pending.length > HEADER_MAX_BYTES) {
      const errors = checkExtractionHeader(this.pending.toString('utf8', 0, HEADER_MAX_BYTES));
      throw new NotTheExtractionError(
        errors.length > 0
          ? errors
          : [
              {
                field: 'file',
                code: 'EXTRACTION_LAYOUT',
                message: `No header line in the first ${HEADER_MAX_BYTES} bytes`,
              },
            ],
      );
    }
    if (this.pending.length > LINE_MAX_BYTES) throw notUtf8Text(`No line end in ${this.pending.length} bytes`);
  }

  /** Complete lines, each ending with LF, staged into the batch (which has room for them). */
  private readLines(lines: Buffer): void {
    const dataStart = this.isHeaderRead ? 0 : this.readHeader(lines);
    if (!isUtf8(lines)) throw notUtf8Text('The file is not UTF-8 text');
    if (lines.includes(0)) throw notUtf8Text('The file holds NUL characters');
    const separators = this.separators;
    const end = lines.length;
    let found = 0;
    let lineStart = dataStart;
    for (let at = dataStart; at < end; at += 1) {
      const byte = lines[at]!;
      if (byte === SEPARATOR) {
        if (found < separators.length) separators[found] = at;
        found += 1;
      } else if (byte === LF) {
        this.readLine(lines, lineStart, at, found);
        found = 0;
        lineStart = at + 1;
      }
    }
  }

  /** Checks the first line (the BOM and CR aside); answers where the data starts. */
  private readHeader(lines: Buffer): number {
    const end = lines.indexOf(LF);
    const errors = checkExtractionHeader(lines.toString('utf8', 0, end));
    if (errors.length > 0) throw new NotTheExtractionError(errors);
    this.isHeaderRead = true;
    return end + 1;
  }

  /** One data line (`start` to `end`, its LF excluded): staged if the reference keeps it. */
  private readLine(lines: Buffer, start: number, end: number, separatorCount: number): void {
    if (end > start && lines[end - 1] === CR) end -= 1;
    if (separatorCount < EXTRACTION_COLUMN_COUNT - 1) {
      if (!isBlank(lines, start, end)) {
        this.counts.linesRead += 1;
        this.counts.malformedLines += 1;
      }
      return;
    }
    this.counts.linesRead += 1;
    const idType = this.cell(this.idType, lines, EXTRACTION_COLUMNS.personIdType.index);
    if (idType.length !== 1 || idType.source[idType.start] !== RPPS_ID_TYPE) return;
    const rpps = this.cell(this.rpps, lines, EXTRACTION_COLUMNS.personId.index);
    const lastName = this.cell(this.lastName, lines, EXTRACTION_COLUMNS.lastName.index);
    if (!rpps.isRpps() || lastName.length === 0) return;
    const batch = this.batch;
    let written = rpps.copyTo(batch, this.batchLength);
    batch[written++] = TAB;
    written = lastName.copyTo(batch, written);
    batch[written++] = TAB;
    written = this.cell(this.firstName, lines, EXTRACTION_COLUMNS.firstName.index).copyTo(batch, written);
    batch[written++] = TAB;
    written = this.cell(this.profession, lines, EXTRACTION_COLUMNS.profession.index).copyTo(batch, written);
    batch[written++] = LF;
    this.batchLength = written;
    this.counts.rows += 1;
  }

  /** Cell `index` (never the first) of the current line, trimmed into `into`. */
  private cell(into: Cell, lines: Buffer, index: number): Cell {
    return into.trim(lines, this.separators[index - 1]! + 1, this.separators[index]!);
  }
}
