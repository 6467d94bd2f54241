import { randomUUID } from 'node:crypto';
import type { Middleware } from 'openapi-fetch';
import { createGeneratedClient, type GeneratedClient } from './generated/client';
import { IDEMPOTENT_POSTS } from './generated/idempotent-posts';
import { BaliseProblem } from './problem';
import { retryingFetch, type Fetch, type RetryOptions } from './retry';

export interface BaliseClientOptions {
  /** The server's address, e.g. `https://balise.example.fr` (no `/v1`: the paths carry it). */
  baseUrl: string;
  /** An API key (`blk_…`), sent as a bearer token. */
  apiKey: string;
  /** Bounded retries (src/retry.ts); `false` turns them off. */
  retry?: RetryOptions | false;
  /** The fetch the requests go through (default: the global one). */
  fetch?: Fetch;
}

/**
 * The generated client's calls, typed by the contract, with what a generated client cannot give:
 * a non-2xx answer is thrown as a `BaliseProblem` (so `data` is there whenever a call returns),
 * a POST the server deduplicates gets an `Idempotency-Key` when the caller gave none, and what
 * can be sent twice is retried on network errors, 429 and 503.
 */
export type BaliseClient = GeneratedClient;

export function createBaliseClient(options: BaliseClientOptions): BaliseClient {
  const baseFetch = options.fetch ?? ((request: Request) => fetch(request));
  const client = createGeneratedClient(options.baseUrl, options.apiKey, {
    fetch: options.retry === false ? baseFetch : retryingFetch(options.retry, baseFetch),
  });
  client.use(idempotencyKeys, problemsThrown);
  return client;
}

/** Gives a key to the POSTs the server deduplicates, so that the retry (or a caller's own) never creates twice. */
const idempotencyKeys: Middleware = {
  onRequest({ request, schemaPath }) {
    if (request.method === 'POST' && IDEMPOTENT_POSTS.has(schemaPath) && !request.headers.has('idempotency-key')) {
      request.headers.set('Idempotency-Key', randomUUID());
    }
    return request;
  },
};

/** Turns every answer that is not a success into one typed error. */
const problemsThrown: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await BaliseProblem.fromResponse(response);
    return response;
  },
};

/** The body of a successful call; only an answer without one (a 204) has none, and asking it of such a call is a mistake. */
export function dataOf<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${result.response.status} ${result.response.url} answered no body`);
  }
  return result.data;
}
