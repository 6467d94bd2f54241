import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Bounded retries, as a `fetch` that openapi-fetch calls (its `fetch` option): a middleware sees
 * one request and one response, and cannot send the request again; a fetch can. Only what is safe to
 * send twice is retried — the idempotent methods, and any request that carries an
 * `Idempotency-Key` (the server replays the first answer to a retry with the same key) — and only
 * on what a retry can cure: a network error, 429 and 503, after the server's `Retry-After`.
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3); 0 turns retrying off. */
  retries?: number;
  /** The wait before the first retry when the server gives no `Retry-After` (default 250 ms), doubled each time. */
  baseDelayMs?: number;
  /** The longest wait between attempts (default 30 s): a `Retry-After` beyond it is not waited for. */
  maxDelayMs?: number;
  /** Told before each wait, e.g. to log it. */
  onRetry?: (retry: { attempt: number; delayMs: number; status?: number; error?: unknown }) => void;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRIED_STATUSES = new Set([429, 503]);

export type Fetch = (request: Request) => Promise<Response>;

export function retryingFetch(options: RetryOptions = {}, fetchImpl: Fetch = (request) => fetch(request)): Fetch {
  const retries = options.retries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  return async (request) => {
    const retryable = IDEMPOTENT_METHODS.has(request.method) || request.headers.has('idempotency-key');
    for (let attempt = 1; ; attempt += 1) {
      const last = !retryable || attempt > retries;
      // A clone per attempt: a body is read once, and the original stays whole for the next clone.
      const sent = last ? request : request.clone();
      let response: Response;
      try {
        response = await fetchImpl(sent);
      } catch (error) {
        if (last || isAbort(error)) throw error;
        const delayMs = Math.min(backoff(baseDelayMs, attempt), maxDelayMs);
        options.onRetry?.({ attempt, delayMs, error });
        // The caller's abort (the request's own signal) ends the wait at once.
        await sleep(delayMs, undefined, { signal: request.signal });
        continue;
      }
      if (last || !RETRIED_STATUSES.has(response.status)) return response;
      const delayMs = retryAfterMs(response.headers.get('retry-after')) ?? backoff(baseDelayMs, attempt);
      if (delayMs > maxDelayMs) return response;
      await response.body?.cancel();
      options.onRetry?.({ attempt, delayMs, status: response.status });
      await sleep(delayMs, undefined, { signal: request.signal });
    }
  };
}

/** `Retry-After` in seconds or as an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential, with full jitter so that many clients cut off together do not come back together. */
function backoff(baseDelayMs: number, attempt: number): number {
  return Math.round(Math.random() * baseDelayMs * 2 ** (attempt - 1));
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
