/**
 * A cell of an extraction line, as bytes: trimmed the way String.prototype.trim trims text,
 * checked and copied without ever being decoded (but for the rare edge that may be a Unicode space).
 */
const TAB = 0x09;
const CR = 0x0d;
const SPACE = 0x20;
const DIGIT_ZERO = 0x30;
const DIGIT_NINE = 0x39;
const RPPS_LENGTH = 11;
const EMPTY: Buffer = Buffer.alloc(0);

/** The ASCII whitespace that String.prototype.trim removes: tab to carriage return, and space. */
const isAsciiSpace = (byte: number) => byte === SPACE || (byte >= TAB && byte <= CR);

/** A trimmed cell: bytes `start` to `end` of `source` (reused from line to line). */
export class Cell {
  source: Buffer = EMPTY;
  start = 0;
  end = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** Bytes `start` to `end` of `bytes`, trimmed as String.prototype.trim would trim their text. */
  trim(bytes: Buffer, start: number, end: number): this {
    while (start < end && isAsciiSpace(bytes[start]!)) start += 1;
    while (end > start && isAsciiSpace(bytes[end - 1]!)) end -= 1;
    this.source = bytes;
    this.start = start;
    this.end = end;
    if (start < end && (bytes[start]! >= 0x80 || bytes[end - 1]! >= 0x80)) {
      // Maybe a Unicode space (no-break, ideographic...): decoded only then, which is rare.
      const text = bytes.toString('utf8', start, end);
      const trimmed = text.trim();
      if (trimmed.length !== text.length) {
        this.source = Buffer.from(trimmed, 'utf8');
        this.start = 0;
        this.end = this.source.length;
      }
    }
    return this;
  }

  isRpps(): boolean {
    if (this.length !== RPPS_LENGTH) return false;
    for (let at = this.start; at < this.end; at += 1) {
      const byte = this.source[at]!;
      if (byte < DIGIT_ZERO || byte > DIGIT_NINE) return false;
    }
    return true;
  }

  /** Copies the cell to `target` at `at`, control characters (the format's tab and line ends) as spaces. */
  copyTo(target: Buffer, at: number): number {
    for (let from = this.start; from < this.end; from += 1) {
      const byte = this.source[from]!;
      target[at++] = byte < SPACE ? SPACE : byte;
    }
    return at;
  }
}
