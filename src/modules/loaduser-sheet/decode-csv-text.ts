import { TextDecoder } from 'node:util';
import { SheetError } from './sheet-error';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * How many leading bytes end on a whole UTF-8 character: a multi-byte character cut by the
 * chunk boundary is kept for the next chunk instead of being judged invalid.
 */
function lengthOfWholeCharacters(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    if (byte < 0xc0) return bytes.length;
    const expectedLength = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return expectedLength > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function countLines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}

/** The text of `bytes` before the first sequence UTF-8 rejects. */
function validUtf8Prefix(bytes: Buffer): string {
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return lenient.slice(0, Math.max(0, lenient.indexOf('\ufffd')));
}

/**
 * Decodes CSV bytes to text, deciding between UTF-8 and Windows-1252 on the fly. Excel writes
 * either one depending on the "CSV" flavour chosen, without saying which. The two agree on
 * ASCII, so text is decoded as strict UTF-8 until the first byte sequence that UTF-8 rejects:
 * if no multi-byte character came before, the file is Windows-1252 from there on (everything
 * already emitted was ASCII, hence identical). If some did, the file mixes encodings (a UTF-8
 * file with text pasted in from elsewhere): replacing the bytes by U+FFFD would store "�" in
 * names and addresses without anyone noticing, so the file is refused (`FILE_ENCODING_INVALID`),
 * naming the line. Nothing but one chunk is held in memory.
 */
export async function* decodeCsvText(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let lenient: TextDecoder | undefined;
  let hasSeenMultibyte = false;
  let carry = Buffer.alloc(0);
  let isStart = true;
  let linesEmitted = 0;

  /** Decodes whole characters strictly, or switches for good to the lenient decoder. */
  function decodeBytes(bytes: Buffer, isLast: boolean): string {
    if (!lenient) {
      const wholeLength = isLast ? bytes.length : lengthOfWholeCharacters(bytes);
      try {
        const text = strictUtf8.decode(bytes.subarray(0, wholeLength));
        hasSeenMultibyte ||= NON_ASCII.test(text);
        carry = Buffer.from(bytes.subarray(wholeLength));
        linesEmitted += countLines(text);
        return text;
      } catch {
        // UTF-8 characters may precede the stray byte in this very chunk.
        const prefix = validUtf8Prefix(bytes);
        if (hasSeenMultibyte || NON_ASCII.test(prefix)) {
          const line = linesEmitted + countLines(prefix) + 1;
          const message = `Line ${line} of the CSV file holds bytes that are not UTF-8, although the lines before are UTF-8: the file mixes encodings. Save it again as "CSV UTF-8" from your spreadsheet program and re-send it.`;
          throw new SheetError('FILE_ENCODING_INVALID', message);
        }
        lenient = new TextDecoder('windows-1252');
      }
    }
    carry = Buffer.alloc(0);
    return lenient.decode(bytes, { stream: !isLast });
  }

  for await (const chunk of chunks) {
    let bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (isStart) {
      // The BOM may arrive split over tiny first chunks: wait for three bytes to decide.
      if (bytes.length < UTF8_BOM.length && UTF8_BOM.subarray(0, bytes.length).equals(bytes)) {
        carry = Buffer.from(bytes);
        continue;
      }
      if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) bytes = bytes.subarray(UTF8_BOM.length);
      isStart = false;
    }
    const text = decodeBytes(bytes, false);
    if (text.length > 0) yield text;
  }
  const tail = decodeBytes(carry, true);
  if (tail.length > 0) yield tail;
}
