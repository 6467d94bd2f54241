import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The media types whose bodies are JSON: the resources (`application/json`) and the problem
 * documents (`application/problem+json`). Typing the client with them gives an operation that also
 * answers files (the alimentation report: JSON, CSV or XLSX) its JSON type; a file is asked with
 * `parseAs: 'text'` or `'arrayBuffer'`, whose types do not depend on the contract.
 */
export type JsonMediaType = `application/${string}json`;

/** The generated layer: openapi-fetch over the committed contract's types (schema.ts), nothing added. */
export type GeneratedClient = Client<paths, JsonMediaType>;

export function createGeneratedClient(baseUrl: string, apiKey: string, options: ClientOptions = {}): GeneratedClient {
  return createClient<paths, JsonMediaType>({
    ...options,
    baseUrl,
    headers: { ...options.headers, Authorization: `Bearer ${apiKey}` },
  });
}
