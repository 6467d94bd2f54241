import { parentPort, workerData } from 'node:worker_threads';
import { readSheetRows } from './read-sheet-rows';
import { isSheetError } from './sheet-error';
import {
  BATCHES_IN_FLIGHT,
  ROWS_PER_MESSAGE,
  type FailureFromWorker,
  type FromSheetWorker,
  type SheetWorkerData,
  type ToSheetWorker,
} from './sheet-worker-protocol';
import type { RawSheetRow } from './sheet-row';

/**
 * The worker thread that parses one uploaded sheet (started by `readLoaduserSheet`): parsing is
 * CPU-bound, and here it cannot hold up the process's event loop, nor, thanks to the worker's
 * heap limit, take the process's memory.
 */
const port = parentPort;
if (!port) throw new Error('sheet-worker.ts runs as a worker thread only');
const { format, limits } = workerData as SheetWorkerData;

const send = (message: FromSheetWorker) => port.postMessage(message);

let credits = BATCHES_IN_FLIGHT;
let onCredit: (() => void) | undefined;
const inputs: Extract<ToSheetWorker, { type: 'chunk' | 'end' }>[] = [];
let onInput: (() => void) | undefined;

port.on('message', (message: ToSheetWorker) => {
  if (message.type === 'rows-taken') {
    credits += 1;
    onCredit?.();
  } else {
    inputs.push(message);
    onInput?.();
  }
});

async function nextInput(): Promise<Extract<ToSheetWorker, { type: 'chunk' | 'end' }>> {
  while (inputs.length === 0) await new Promise<void>((resolve) => (onInput = resolve));
  return inputs.shift()!;
}

async function* pullChunks(): AsyncGenerator<Buffer> {
  for (;;) {
    send({ type: 'pull' });
    const input = await nextInput();
    if (input.type === 'end') return;
    yield Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  }
}

async function sendRows(rows: RawSheetRow[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (onCredit = resolve));
  credits -= 1;
  send({ type: 'rows', rows });
}

function describeFailure(error: unknown): FailureFromWorker {
  if (isSheetError(error)) return { kind: 'sheet', code: error.code, message: error.message, details: error.details };
  return { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
}

async function run(): Promise<void> {
  let rows: RawSheetRow[] = [];
  try {
    for await (const row of readSheetRows(format, pullChunks(), limits)) {
      rows.push(row);
      if (rows.length >= ROWS_PER_MESSAGE) {
        await sendRows(rows);
        rows = [];
      }
    }
    if (rows.length > 0) await sendRows(rows);
    send({ type: 'done' });
  } catch (error) {
    // The rows read before the failure go first, so that the reader sees them all, then the failure.
    if (rows.length > 0) await sendRows(rows);
    send({ type: 'failed', failure: describeFailure(error) });
  }
}

void run();
