import { openAsBlob } from 'node:fs';
import path from 'node:path';
import type { BaliseClient } from './client';
import { dataOf } from './client';
import type { components, operations } from './generated/schema';
import { paginate } from './pagination';

export type Import = components['schemas']['Import'];
export type ImportRow = components['schemas']['ImportRow'];
export type ImportOptions = Omit<operations['createImport']['requestBody']['content']['multipart/form-data'], 'file'>;

/**
 * What a loaduser file can be given as: a path on disk (streamed from it as it is sent), the bytes
 * (a Buffer, a Uint8Array or a Blob), or a stream of them (a readable, e.g. `process.stdin`),
 * read to its end first: a multipart part is sent with its length, and a retry must send it again.
 */
export type UploadSource = string | Uint8Array | Blob | AsyncIterable<Uint8Array | string>;

export interface StartImportOptions extends ImportOptions {
  /** The name the server records (default: the path's base name, or `loaduser`); its format is read from the bytes. */
  fileName?: string;
}

/** Uploads a loaduser file to a structure: the import is queued (202) and runs on the server. */
export async function startImport(
  client: BaliseClient,
  structureId: string,
  source: UploadSource,
  { fileName, ...options }: StartImportOptions = {},
): Promise<Import> {
  const file = await blobOf(source);
  const name = fileName ?? (typeof source === 'string' ? path.basename(source) : 'loaduser');
  const form = new FormData();
  // The options first: the server reads them before it streams the file.
  for (const [field, value] of Object.entries(options)) {
    if (value !== undefined) form.append(field, String(value));
  }
  form.append('file', file, name);
  return dataOf(
    await client.POST('/v1/structures/{structureId}/imports', {
      params: { path: { structureId } },
      // The contract types the part as a string; the form above is what is sent.
      body: { file: name, ...options },
      bodySerializer: () => form,
    }),
  );
}

async function blobOf(source: UploadSource): Promise<Blob> {
  if (typeof source === 'string') return openAsBlob(source);
  if (source instanceof Blob) return source;
  if (source instanceof Uint8Array) return new Blob([source]);
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new Blob(chunks);
}

export interface WaitForImportOptions {
  /** Called with the import each time its progress or status changes, and once when it ends. */
  onProgress?: (current: Import) => void;
  /** Between two reads (default 500 ms). */
  intervalMs?: number;
  /** Gives up after this long (default: never). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Follows an import until it is `succeeded` or `failed`, and answers it in that state. */
export async function waitForImport(
  client: BaliseClient,
  importId: string,
  options: WaitForImportOptions = {},
): Promise<Import> {
  const intervalMs = options.intervalMs ?? 500;
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  let seen = '';
  for (;;) {
    const current = dataOf(
      await client.GET('/v1/imports/{importId}', { params: { path: { importId } }, signal: options.signal }),
    );
    const state = JSON.stringify([current.status, current.progress]);
    if (state !== seen) options.onProgress?.(current);
    seen = state;
    if (current.status === 'succeeded' || current.status === 'failed') return current;
    if (Date.now() + intervalMs > deadline) {
      throw new Error(`import ${importId} still ${current.status} after ${options.timeoutMs ?? 0} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    options.signal?.throwIfAborted();
  }
}

/** Every row of an import that failed, with its errors (row, column letter, header, message). */
export async function failedRows(client: BaliseClient, importId: string): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  const pages = (cursor: string | undefined) =>
    client.GET('/v1/imports/{importId}/rows', {
      params: { path: { importId }, query: { outcome: 'failed', limit: 500, cursor } },
    });
  for await (const row of paginate(pages)) rows.push(row);
  return rows;
}
