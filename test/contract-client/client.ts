import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The media types whose bodies are JSON: the resources (`application/json`) and the problem
 * documents (`application/problem+json`). Typing the client with them gives an operation that also
 * answers files (the alimentation report: JSON, CSV or XLSX) its JSON type; a file is asked with
 * `parseAs: 'text'` or `'arrayBuffer'`, whose types do not depend on the contract.
 */
export type JsonMediaType = `application/${string}json`;

/** A Balise client as an integrator generates it: openapi-fetch over the committed contract's types. */
export type BaliseClient = Client<paths, JsonMediaType>;

export function createBaliseClient(baseUrl: string, apiKey: string): BaliseClient {
  return createClient<paths, JsonMediaType>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}
