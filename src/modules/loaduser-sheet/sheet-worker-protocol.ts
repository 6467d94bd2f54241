import type { SheetErrorCode, SheetErrorDetails } from './sheet-error';
import type { SheetLimits } from './sheet-limits';
import type { RawSheetRow, SheetFormat } from './sheet-row';

/**
 * Messages between `readLoaduserSheet` (main thread) and `sheet-worker.ts`. The worker pulls
 * the file one chunk at a time, and sends rows in batches, each taken before the next but one
 * is sent: both sides hold a bounded amount, whatever the speed of the other.
 */
export interface SheetWorkerData {
  format: SheetFormat;
  limits: SheetLimits;
}

export type ToSheetWorker = { type: 'chunk'; bytes: Uint8Array } | { type: 'end' } | { type: 'rows-taken' };

export type FailureFromWorker =
  | { kind: 'sheet'; code: SheetErrorCode; message: string; details: SheetErrorDetails }
  | { kind: 'unexpected'; message: string };

export type FromSheetWorker =
  | { type: 'pull' }
  | { type: 'rows'; rows: RawSheetRow[] }
  | { type: 'done' }
  | { type: 'failed'; failure: FailureFromWorker };

/** Rows per message: few enough to stay small, enough to make messages cheap per row. */
export const ROWS_PER_MESSAGE = 256;
/** Batches the worker may send before the first is taken. */
export const BATCHES_IN_FLIGHT = 2;
