import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { XlsxGuard } from './xlsx-guards';

/** The parts a workbook's rows are read from are XML (and their relationships) under `xl/`. */
const WORKBOOK_PART = /^xl\/.*\.(xml|rels)$/i;

const openZip = (file: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(
      file,
      // Sizes are counted as parts inflate (`XlsxGuard`), so a lying header is a limit exceeded, not a damaged file.
      { lazyEntries: true, autoClose: false, validateEntrySizes: false, strictFileNames: false },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    ),
  );

function listWorkbookParts(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  const parts = new Map<string, yauzl.Entry>();
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (WORKBOOK_PART.test(entry.fileName)) parts.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(parts));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * An uploaded XLSX on disk, its parts found through the zip's central directory. A zip read as a
 * stream meets its parts in the order they were written, and Excel writes the worksheet before
 * the shared strings and styles it needs; read at random, each part is inflated when it is
 * wanted, shared strings first, and the worksheet streamed after them. Parts the rows do not
 * need (images, themes…) are never inflated at all.
 */
export class XlsxArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly parts: Map<string, yauzl.Entry>,
    private readonly folder: string,
  ) {}

  /**
   * Writes the chunks to a file of the read's own (the reader's worker runs with a temporary
   * folder removed with it), then opens its central directory. The input's own errors are thrown
   * as they are; a file that is no zip is refused by `open`'s caller from its first bytes.
   */
  static async spool(chunks: AsyncIterable<Buffer>): Promise<XlsxArchive> {
    const folder = await mkdtemp(path.join(tmpdir(), 'balise-xlsx-'));
    const file = path.join(folder, 'upload.xlsx');
    try {
      await pipelineAsync(Readable.from(chunks, { objectMode: false }), createWriteStream(file, { mode: 0o600 }));
      const zip = await openZip(file);
      try {
        return new XlsxArchive(zip, await listWorkbookParts(zip), folder);
      } catch (error) {
        zip.close();
        throw error;
      }
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  has(part: string): boolean {
    return this.parts.has(part);
  }

  /** The part's inflated bytes, each counted by the guard as it comes out of the inflater. */
  async open(part: string, guard: XlsxGuard): Promise<Readable> {
    const entry = this.parts.get(part);
    if (entry === undefined) throw new Error(`it has no part "${part}"`);
    // A declared size can refuse early; a lower one proves nothing, since what inflates is counted.
    guard.checkDeclaredSize(entry.uncompressedSize, part);
    const inflated = await this.zip.openReadStreamPromise(entry);
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        try {
          guard.countUnpacked(chunk.length, part);
          callback(null, chunk);
        } catch (error) {
          callback(error instanceof Error ? error : new Error(String(error)));
        }
      },
    });
    // The inflater stops with its reader: nothing reads on once a limit is exceeded.
    return pipeline(inflated, counted, () => undefined);
  }

  async close(): Promise<void> {
    this.zip.close();
    await rm(this.folder, { recursive: true, force: true });
  }
}
