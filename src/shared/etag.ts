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

/** What a route hands its service: the versions the client's `If-Match` accepts, if it sent one. */
export function ifMatchOf(request: { headers: { 'if-match'?: string } }): number[] | '*' | undefined {
  return parseIfMatch(request.headers['if-match']);
}

/**
 * Sets the ETag of the version a route answers with; every versioned answer goes through here,
 * so the ETag a client reads is the one `If-Match` expects back.
 */
export function withEtag<R extends { header(name: string, value: string): R }>(reply: R, version: number): R {
  return reply.header('etag', formatEtag(version));
}

/** The opaque part of an entity tag (`W/"3"` and `"3"` both give `"3"`), for weak comparison. */
const opaqueTag = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Whether `If-None-Match` names the current ETag (RFC 9110 §13.1.2): `*` matches any current
 * representation, otherwise the comma-separated tags are compared weakly (`W/"3"` matches `"3"`).
 * A GET that matches is answered 304 without a body.
 */
export function ifNoneMatchMatches(header: string | undefined, currentEtag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const current = opaqueTag(currentEtag);
  // An entity tag may hold a comma between its quotes: the tags are found, not split on commas.
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaqueTag(tag) === current);
}

export function assertIfMatch(expected: number[] | '*' | undefined, currentVersion: number): void {
  if (expected === undefined || expected === '*') return;
  if (!expected.includes(currentVersion)) {
    throw new AppError('PRECONDITION_FAILED', 'The resource was changed since you read it: fetch it again', undefined, {
      currentEtag: formatEtag(currentVersion),
    });
  }
}
