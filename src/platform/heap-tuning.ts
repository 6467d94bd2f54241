import { setFlagsFromString } from 'node:v8';

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
