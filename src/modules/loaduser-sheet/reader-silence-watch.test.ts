import { ReaderSilenceWatch } from './reader-silence-watch';

/** A promise settled by hand, standing for the worker's next message or a read of the upload. */
function pending<T = void>(): { promise: Promise<T>; settle(value: T): void } {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (settle = resolve));
  return { promise, settle };
}

describe('ReaderSilenceWatch', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires once the reader has waited for the worker longer than the limit with nothing heard', async () => {
    const onSilence = jest.fn();
    const watch = new ReaderSilenceWatch(1000, onSilence);
    const message = pending();
    void watch.whileWaiting(message.promise);
    jest.advanceTimersByTime(999);
    expect(onSilence).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onSilence).toHaveBeenCalledTimes(1);
    watch.stop();
  });

  it('starts the clock again at each message', () => {
    const onSilence = jest.fn();
    const watch = new ReaderSilenceWatch(1000, onSilence);
    void watch.whileWaiting(pending().promise);
    for (let beat = 0; beat < 5; beat += 1) {
      jest.advanceTimersByTime(900);
      watch.heard();
    }
    expect(onSilence).not.toHaveBeenCalled();
    watch.stop();
  });

  it('does not count the time the reader spends away (a slow consumer) or the worker waits for the upload', async () => {
    const onSilence = jest.fn();
    const watch = new ReaderSilenceWatch(1000, onSilence);
    // Nobody waits for the worker: the consumer is busy with rows already handed over.
    jest.advanceTimersByTime(5000);
    // The reader waits, but the worker asked for the next piece of the upload, still on its way.
    const message = pending();
    const waiting = watch.whileWaiting(message.promise);
    const input = pending<string>();
    const fetching = watch.whileFetchingInput(input.promise);
    jest.advanceTimersByTime(5000);
    expect(onSilence).not.toHaveBeenCalled();
    // The piece arrives: from now on the worker owes the reader something.
    input.settle('piece');
    await fetching;
    jest.advanceTimersByTime(1000);
    expect(onSilence).toHaveBeenCalledTimes(1);
    message.settle();
    await waiting;
    watch.stop();
  });

  it('stays quiet once the wait is over or the watch stopped', async () => {
    const onSilence = jest.fn();
    const watch = new ReaderSilenceWatch(1000, onSilence);
    const message = pending();
    const waiting = watch.whileWaiting(message.promise);
    message.settle();
    await waiting;
    jest.advanceTimersByTime(5000);
    void watch.whileWaiting(pending().promise);
    watch.stop();
    jest.advanceTimersByTime(5000);
    expect(onSilence).not.toHaveBeenCalled();
  });
});
