import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Every spool folder's name starts so: nothing else in a shared temporary folder is ever touched. */
const SPOOL_FOLDER_PREFIX = 'balise-upload-';

/** An upload written to a private temporary file, to be read back piece by piece, then removed. */
export interface SpooledFile {
  /** Bytes written. */
  readonly size: number;
  /** Its first bytes (up to the `headBytes` asked for), for format sniffing. */
  readonly head: Buffer;
  /** The file in pieces of `pieceBytes` (the last one shorter). */
  pieces(pieceBytes: number): AsyncIterable<Buffer>;
  /** Deletes the file; safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Writes an incoming stream to disk as it arrives. Holding an upload in memory costs its size
 * several times over (the socket's pieces, their concatenation, the driver's copy) and leaves the
 * allocator's arenas swollen long after; writing it to PostgreSQL as it arrives would hold a
 * connection and a transaction open for as long as a slow client takes to send it. On disk, the
 * upload costs a few kilobytes of memory, and the database writes happen later, in one short
 * transaction. If the stream fails (a size limit, a broken connection), nothing is left behind.
 */
export async function spoolToDisk(
  source: Readable,
  options: { directory: string; headBytes: number },
): Promise<SpooledFile> {
  const { headBytes } = options;
  const directory = await mkdtemp(path.join(options.directory, SPOOL_FOLDER_PREFIX));
  const file = path.join(directory, 'upload');
  const remove = () => rm(directory, { recursive: true, force: true });
  let size = 0;
  const headPieces: Buffer[] = [];
  let headLength = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (headLength < headBytes) {
        // Copied: a subarray would keep the socket's whole buffer alive.
        const piece = Buffer.from(chunk.subarray(0, headBytes - headLength));
        headPieces.push(piece);
        headLength += piece.length;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, measure, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    size,
    head: Buffer.concat(headPieces, headLength),
    pieces: (pieceBytes) => createReadStream(file, { highWaterMark: pieceBytes }),
    remove,
  };
}

/**
 * Removes the spool folders that a process stopped mid-upload (killed, out of memory, a power cut)
 * left behind: those made more than `olderThanMs` ago, which no upload still in progress can be,
 * when that age exceeds the longest an upload may take. Several processes may share the folder:
 * each only ever removes folders that old. Returns how many were removed.
 */
export async function removeStaleSpoolFolders(
  directory: string,
  olderThanMs: number,
  now: number = Date.now(),
): Promise<number> {
  const entries = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  let removed = 0;
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(SPOOL_FOLDER_PREFIX)) continue;
    const folder = path.join(directory, entry.name);
    const madeAt = (await stat(folder).catch(() => null))?.mtimeMs;
    if (madeAt === undefined || now - madeAt < olderThanMs) continue;
    await rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
