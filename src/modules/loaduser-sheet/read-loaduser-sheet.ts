import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { siblingModule, startModuleWorker } from '../../platform/workers/start-module-worker';
import { ReaderSilenceWatch } from './reader-silence-watch';
import { SheetError } from './sheet-error';
import { DEFAULT_SHEET_LIMITS, limitExceeded, type SheetLimits } from './sheet-limits';
import { iterateChunks, type RawSheetRow, type SheetFormat, type SheetInput } from './sheet-row';
import type { FailureFromWorker, FromSheetWorker, SheetWorkerData, ToSheetWorker } from './sheet-worker-protocol';

type ReaderEvent =
  | Exclude<FromSheetWorker, { type: 'pull' }>
  | { type: 'input-failed'; error: unknown }
  | { type: 'crashed'; error: Error }
  | { type: 'exited'; code: number }
  | { type: 'stalled' };

/** Events in arrival order, taken one at a time. */
class EventQueue {
  private readonly events: ReaderEvent[] = [];
  private wake: (() => void) | undefined;

  push(event: ReaderEvent): void {
    this.events.push(event);
    this.wake?.();
  }

  async take(): Promise<ReaderEvent> {
    while (this.events.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    return this.events.shift()!;
  }
}

function toError(failure: FailureFromWorker): Error {
  if (failure.kind === 'sheet') return new SheetError(failure.code, failure.message, failure.details);
  return new Error(`The sheet reader failed: ${failure.message}`);
}

function crashError(error: Error, limits: SheetLimits): Error {
  const code = 'code' in error ? error.code : undefined;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return limitExceeded('readerMemoryMb', limits, 'Reading the file needs more memory than the reader may take', {});
  }
  return new Error(`The sheet reader stopped: ${error.message}`, { cause: error });
}

/**
 * Dates arrive built by the structured clone in Node.js's own realm. Where the caller runs in
 * another realm (jest runs each test file in a vm context), `instanceof Date` would then fail:
 * such dates are rebuilt in the caller's realm. Plain values need nothing.
 */
function adoptDates(row: RawSheetRow): RawSheetRow {
  for (let index = 0; index < row.cells.length; index += 1) {
    const cell = row.cells[index];
    if (typeof cell === 'object' && cell !== null && !(cell instanceof Date))
      row.cells[index] = new Date(Date.prototype.getTime.call(cell));
  }
  return row;
}

/**
 * The reader worker's young generation, in MB (V8 splits it in three: two semi-spaces and room
 * for large new objects). Left unset, a worker gets 48 MB, mostly filled with the parser's
 * short-lived garbage before each scavenge. A CSV row's garbage is small and dies at once: 6 MB
 * takes about 11 MB less resident memory off a 100,000-row read and adds 5–8 % to the parse, which
 * runs beside the main thread's work. exceljs keeps more alive across a scavenge: below 12 MB its
 * parse takes two thirds longer (measured in bench/RESULTS.md, issue 20, session 10).
 */
const READER_YOUNG_GENERATION_MB: Record<SheetFormat, number> = { csv: 6, xlsx: 12, xls: 12 };

/**
 * Streams the rows of the first sheet of a loaduser file, header included, as the spreadsheet
 * numbers them (`readSheetRows`: empty rows skipped, trailing empty cells dropped, limits held).
 *
 * The file is parsed in a worker thread of its own, fed one chunk at a time: parsing is
 * CPU-bound (fast-csv and exceljs never yield while they work through a chunk), and in the
 * main thread a hostile file would stall every request. The worker's heap is capped
 * (`readerMemoryMb`), so a bomb no limit foresaw ends the worker, with `FILE_TOO_COMPLEX`,
 * never the process. Rows come back in small batches, at the pace they are consumed.
 *
 * Failures are `SheetError`s for the file, the input stream's own errors as they are, and
 * other errors for a reader that failed unexpectedly.
 */
export async function* readLoaduserSheet(
  input: SheetInput,
  limits: SheetLimits = DEFAULT_SHEET_LIMITS,
): AsyncGenerator<RawSheetRow> {
  const workerData: SheetWorkerData = { format: input.format, limits };
  // The XLSX reader writes the upload to a temporary file to read its parts at random, and a
  // terminated worker removes nothing: its files go to a folder of this read, removed with it.
  const scratch = await mkdtemp(path.join(tmpdir(), 'balise-sheet-'));
  const worker = startModuleWorker(siblingModule(__filename, 'sheet-worker'), {
    workerData,
    resourceLimits: {
      maxOldGenerationSizeMb: limits.readerMemoryMb,
      maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB[input.format],
    },
    env: { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch },
  });
  const chunks = iterateChunks(input.stream);
  const events = new EventQueue();
  const silence = new ReaderSilenceWatch(limits.readerIdleSeconds * 1000, () => events.push({ type: 'stalled' }));
  const post = (message: ToSheetWorker, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer);

  async function sendNextChunk(): Promise<void> {
    try {
      const next = await silence.whileFetchingInput(chunks.next());
      if (next.done) return post({ type: 'end' });
      // A copy of the chunk's own bytes: posting a view would copy all of its underlying buffer.
      const bytes = new Uint8Array(next.value);
      post({ type: 'chunk', bytes }, [bytes.buffer]);
    } catch (error) {
      events.push({ type: 'input-failed', error });
    }
  }

  worker.on('message', (message: FromSheetWorker) => {
    silence.heard();
    if (message.type === 'pull') void sendNextChunk();
    else events.push(message);
  });
  worker.on('error', (error: Error) => events.push({ type: 'crashed', error }));
  worker.on('exit', (code: number) => events.push({ type: 'exited', code }));
  try {
    for (;;) {
      const event = await silence.whileWaiting(events.take());
      switch (event.type) {
        case 'rows':
          post({ type: 'rows-taken' });
          for (const row of event.rows) yield adoptDates(row);
          break;
        case 'done':
          return;
        case 'failed':
          throw toError(event.failure);
        case 'input-failed':
          throw event.error;
        case 'crashed':
          throw crashError(event.error, limits);
        case 'exited':
          throw new Error(`The sheet reader stopped unexpectedly (exit code ${event.code}).`);
        case 'stalled':
          throw limitExceeded(
            'readerIdleSeconds',
            limits,
            'Reading the file stalled: the reader produced nothing for too long',
          );
      }
    }
  } finally {
    silence.stop();
    worker.removeAllListeners('message');
    if (input.stream instanceof Readable) input.stream.destroy();
    void chunks.return(undefined).catch(() => undefined);
    await worker.terminate();
    await rm(scratch, { recursive: true, force: true });
  }
}
