import { Readable } from 'node:stream';
import { iterateChunks, type SheetInputStream } from './sheet-row';

/** Enough bytes to recognise every format `detectSheetFormat` knows (the ODS mimetype sits at 30..85). */
export const FORMAT_SNIFF_BYTES = 512;

export interface PeekedStream {
  firstBytes: Buffer;
  /** The whole input again, first bytes included. */
  stream: Readable;
}

/**
 * Reads the first bytes of an upload without losing them, so the format can be detected from
 * the bytes before the right reader is chosen; the rest keeps streaming.
 */
export async function peekStreamStart(input: SheetInputStream, byteCount = FORMAT_SNIFF_BYTES): Promise<PeekedStream> {
  const chunks = iterateChunks(input);
  const head: Buffer[] = [];
  let headLength = 0;
  while (headLength < byteCount) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  async function* replayAll(): AsyncGenerator<Buffer> {
    yield* head;
    yield* chunks;
  }
  const firstBytes = Buffer.concat(head).subarray(0, byteCount);
  return { firstBytes, stream: Readable.from(replayAll(), { objectMode: false }) };
}
