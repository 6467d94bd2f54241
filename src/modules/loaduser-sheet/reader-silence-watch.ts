/**
 * Tells when the sheet worker has gone silent for too long while it owes the reader something.
 *
 * The clock runs only while the reader waits for the worker and the worker does not wait for the
 * file: a slow database read of the upload, or a consumer slow to take rows (the worker then
 * waits for it, by design), is never the file's fault. Any message from the worker starts the
 * clock again. Size limits bound a read's work; this bounds what they cannot foresee (a parser
 * stuck on a crafted file), since a job's lease is renewed for as long as its process lives.
 */
export class ReaderSilenceWatch {
  private timer: NodeJS.Timeout | undefined;
  private isReaderWaiting = false;
  private inputFetches = 0;

  constructor(
    private readonly idleMs: number,
    private readonly onSilence: () => void,
  ) {}

  /** The worker said something. */
  heard(): void {
    this.rearm();
  }

  /** Wraps the reader's wait for the worker's next message. */
  async whileWaiting<T>(wait: Promise<T>): Promise<T> {
    this.isReaderWaiting = true;
    this.rearm();
    try {
      return await wait;
    } finally {
      this.isReaderWaiting = false;
      this.rearm();
    }
  }

  /** Wraps a read of the upload the worker asked for: its time is not the worker's. */
  async whileFetchingInput<T>(fetch: Promise<T>): Promise<T> {
    this.inputFetches += 1;
    this.rearm();
    try {
      return await fetch;
    } finally {
      this.inputFetches -= 1;
      this.rearm();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.isReaderWaiting = false;
  }

  private rearm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.isReaderWaiting || this.inputFetches > 0) return;
    this.timer = setTimeout(this.onSilence, this.idleMs);
    // A timer must not keep a process alive that has nothing else left to do.
    this.timer.unref();
  }
}
