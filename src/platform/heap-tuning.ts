import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Bounds how far V8 lets the heap grow between full collections: the next limit becomes what
 * survived the last one times (1 + percent / 100). Left to itself, V8 picks a factor of up to 4
 * when it can collect quickly, so a long import whose working set is 40–80 MB ran with 250–400 MB
 * resident, almost all of it garbage waiting for a collection (measured in bench/RESULTS.md). Unlike
 * a hard `--max-old-space-size`, this never stops the process: a job that really needs a large heap
 * (an `.xls` workbook is parsed whole) still gets one, only collected more often.
 *
 * V8 reads this flag each time it sets a new limit, so setting it at start-up takes effect for the
 * whole life of the process. Called by the server's entry point only: tests keep V8's defaults.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Lets each worker thread size its own young generation. `--max-semi-space-size` (passed by
 * `npm start` and the Docker image) sizes the main thread's; but V8 flags are process-wide and
 * a flag beats a worker's `resourceLimits`, so every worker got the main thread's young
 * generation whatever it asked for (a CSV reader 16 MB of new space it fills with garbage
 * before each scavenge). V8 reads the flag once, when an isolate is created: cleared once the
 * main isolate exists, it keeps its size there, and workers get what `resourceLimits` ask for.
 * Called by the server's entry point, after start-up; a test runner passes no such flag.
 */
export function leaveYoungGenerationsToWorkers(): void {
  setFlagsFromString('--max-semi-space-size=0');
}

/**
 * Collects the garbage of start-up, and lets V8 give its pages back, once the server is ready.
 * Building the routes (validators, serializers, the OpenAPI document) leaves the heap at about
 * 80 MB of which 40 MB live; V8 keeps those pages until a collection shrinks the heap, and its
 * memory reducer waits for the process to be idle a while. A job taken right after start-up (an
 * import queued while the server restarted) then stacked its own peak on top of them: 10 MB more
 * at the peak of a 100,000-row CSV import (bench/RESULTS.md, issue 20, session 10).
 *
 * `gc` is not exposed without a command-line flag; the flag set now exposes it to contexts created
 * after, such as this throwaway one. Called once, by the server's entry point.
 */
export function collectStartUpGarbage(): void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  collect();
}
