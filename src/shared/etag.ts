import { AppError } from '../domain/errors/error-catalogue';

/** ETags are derived from the row's version counter, bumped by every update. */
export const formatEtag = (version: number) => `"${version}"`;

/**
 * `undefined` when the client sent no If-Match (writes are then unconditional), otherwise the
 * versions it accepts; `'*'` matches any existing resource.
 */
export function parseIfMatch(header: string | undefined): number[] | '*' | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  return header.split(',').map((tag) => {
    const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(tag);
    return match ? Number(match[1]) : -1;
  });
}

export function assertIfMatch(expected: number[] | '*' | undefined, currentVersion: number): void {
  if (expected === undefined || expected === '*') return;
  if (!expected.includes(currentVersion)) {
    throw new AppError('PRECONDITION_FAILED', 'The resource was changed since you read it: fetch it again', undefined, {
      currentEtag: formatEtag(currentVersion),
    });
  }
}
