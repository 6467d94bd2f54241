import type { Command } from 'commander';
import { createBaliseClient, type BaliseClient } from '../client';

/** A mistake of the caller's (a missing setting, a file that cannot be read): exit code 2, like a usage error. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options every command inherits from `balise` itself. */
interface GlobalOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

export interface Context {
  readonly client: BaliseClient;
  readonly baseUrl: string;
  /** `--json`: one JSON document, or one per line for a list (NDJSON); never a table or a progress bar. */
  readonly json: boolean;
  /** Only on a terminal, and never under --json: a script reading stderr gets no control codes. */
  readonly showProgress: boolean;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export function contextOf(command: Command): Context {
  const options = command.optsWithGlobals<GlobalOptions>();
  if (!options.url) throw new UsageError('no server: set BALISE_URL or pass --url');
  if (!options.apiKey) throw new UsageError('no API key: set BALISE_API_KEY or pass --api-key');
  const json = options.json === true;
  return {
    client: createBaliseClient({ baseUrl: options.url, apiKey: options.apiKey }),
    baseUrl: options.url,
    json,
    showProgress: !json && process.stderr.isTTY === true && process.stdout.isTTY === true,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
}

/** Columns padded to their widest cell: what a person reads on a terminal (`--json` is for scripts). */
export function table<T>(
  rows: readonly T[],
  columns: ReadonlyArray<[header: string, cell: (row: T) => unknown]>,
): string {
  const cells = [columns.map(([header]) => header), ...rows.map((row) => columns.map(([, cell]) => text(cell(row))))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => (line[index] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, index) => cell.padEnd(widths[index] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
