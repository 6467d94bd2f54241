// autocannon ships no types; this is the slice of its API the benchmarks use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<LoadResult>;

interface LoadResult {
  requests: { average: number; min: number };
  latency: { p99: number; p90: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface LoadSummary {
  requestsPerSecond: number;
  p99Ms: number;
  averageMs: number;
  /** For reading a p99 (logged, not reported): one stall of the machine delays every request in flight. */
  p90Ms: number;
  slowestSecondRequests: number;
  failures: number;
}

/** 50 connections for 10 s (the load the read targets are set for), each request's path taken from `nextPath`. */
export async function runLoad(
  baseUrl: string,
  nextPath: () => string,
  headers: Record<string, string> = {},
  seconds = Number(process.env.BENCH_SECONDS ?? 10),
): Promise<LoadSummary> {
  const result = await autocannon({
    url: baseUrl,
    connections: 50,
    duration: seconds,
    headers,
    requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: nextPath() }) }],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    averageMs: result.latency.average,
    p90Ms: result.latency.p90,
    slowestSecondRequests: result.requests.min,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

export function cycle<T>(values: readonly T[]): () => T {
  let index = 0;
  return () => values[index++ % values.length]!;
}
