import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The V8 flags and environment the server process starts with (README, "Memory"): an 8 MiB young
 * generation, a small first old-space limit, two malloc arenas. `npm start` and the Dockerfile
 * spell them too (neither can import them: `heap-tuning.test.ts` checks they agree); the tests
 * and benchmarks that start a server process take them from here.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--initial-old-space-size=8'];
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

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
 * Collects the garbage of start-up, and has V8 give its pages back, once the server is ready.
 * Building the routes (validators, serializers, the OpenAPI document) leaves the heap at about
 * 80 MB of which 40 MB live. V8 keeps those pages until its memory reducer sees an idle process,
 * and Node.js 22's V8 keeps the pages a collection frees in a pool for reuse: an import or export
 * taken right after start-up stacked its own peak on top of them. A full collection, then a
 * "last resort" one (which also releases the pooled pages; Node.js 20's V8 ignores the flavour)
 * take an idle server from 139 to 91 MB on Node.js 22, from 141 to 107 MB on 20 (bench/RESULTS.md,
 * issue 20, session 10).
 *
 * `gc` is not exposed without a command-line flag; the flag set now exposes it to contexts created
 * after, such as this throwaway one. Called once, by the server's entry point.
 */
export function collectStartUpGarbage(): void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as (options?: GcOptions) => void;
  collect();
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** The options V8's `gc` extension takes. */
interface GcOptions {
  type: 'major' | 'minor';
  execution: 'sync' | 'async';
  flavor: 'regular' | 'last-resort';
}
