import { visibleStructureIds } from '../../platform/auth/caller';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { decodeCursor, toPage } from '../../shared/pagination';
import type { DirectoryEntry } from './directory-entry';
import { refreshDirectory } from './directory-refresh';
import { listEntries, readFeedState, type DirectoryEntryRow } from './directory.repository';
import type { DirectoryEntryItem, DirectoryPage, DirectoryQuery } from './directory.schemas';

const SYNC_TOKEN_PATTERN = /^sync:(\d{1,15})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const encodeSyncToken = (sequence: number) => Buffer.from(`sync:${sequence}`, 'utf8').toString('base64url');

type Since = { afterSequence: number } | { changedAfter: Date } | undefined;

function invalidSince(code: string, message: string): AppError {
  return new AppError('BAD_REQUEST', 'The `since` parameter is not usable', [{ field: 'since', code, message }]);
}

/** A sync token we gave (opaque: base64url of `sync:<sequence>`), or an ISO 8601 date-time. */
function parseSince(since: string | undefined, highWaterMark: number): Since {
  if (since === undefined) return undefined;
  if (ISO_DATE_TIME.test(since)) {
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) throw invalidSince('SINCE_INVALID', 'Not a real date-time');
    return { changedAfter: at };
  }
  const match = SYNC_TOKEN_PATTERN.exec(Buffer.from(since, 'base64url').toString('utf8'));
  if (!match) throw invalidSince('SINCE_INVALID', 'Send a syncToken as it was given, or an ISO 8601 date-time');
  const afterSequence = Number(match[1]);
  // Tokens never run ahead of the feed; one that does comes from another database (a restore?): start over.
  if (afterSequence > highWaterMark)
    throw invalidSince('SYNC_TOKEN_UNKNOWN', 'This token is not from this feed: list everything again without `since`');
  return { afterSequence };
}

function toItem(row: DirectoryEntryRow): DirectoryEntryItem {
  const entry = row.entry as DirectoryEntry;
  return {
    address: row.address,
    ansType: entry.ansType,
    change: row.withdrawnAt ? 'withdrawn' : 'published',
    mailboxId: row.mailboxId,
    structureId: row.structureId,
    listeRouge: entry.listeRouge,
    description: entry.description,
    service: entry.service,
    responsible: entry.responsible,
    phone: entry.phone,
    paperless: entry.paperless,
    holderIdentifier: entry.holderIdentifier,
    publishedAt: row.publishedAt.toISOString(),
    changedAt: row.changedAt.toISOString(),
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
  };
}

/**
 * A page of the feed. The first page of a listing (no cursor) brings the feed up to date with
 * the boxes (unless it was refreshed less than `maxAgeSeconds` ago) and notes its high-water
 * mark, which the cursor carries and every page returns as `syncToken`: entries changed while
 * the client pages come again at the end of this listing (they moved to the end of the
 * sequence) or in the next sync, never nowhere.
 */
export async function listDirectoryEntries(
  deps: ServiceDependencies,
  context: RequestContext,
  query: DirectoryQuery & { limit: number; cursor?: string },
  options: { maxAgeSeconds: number },
): Promise<DirectoryPage> {
  const cursor = decodeCursor(query.cursor, 2);
  if (!cursor) await refreshDirectory(deps.db, deps.clock, options);
  const state = await readFeedState(deps.db);
  const highWaterMark = cursor ? Number(cursor[1]) : (state?.lastSequence ?? 0);
  const since = parseSince(query.since, state?.lastSequence ?? 0);
  const sinceSequence = since && 'afterSequence' in since ? since.afterSequence : 0;
  const rows = await listEntries(deps.db, {
    visibleStructureIds: visibleStructureIds(context.caller),
    structureId: query.structureId,
    includeWithdrawn: since !== undefined,
    afterSequence: Math.max(sinceSequence, cursor ? Number(cursor[0]) : 0),
    changedAfter: since && 'changedAfter' in since ? since.changedAfter : undefined,
    limit: query.limit,
  });
  const page = toPage(rows, query.limit, (row) => [row.sequence, highWaterMark], toItem);
  return { ...page, syncToken: encodeSyncToken(highWaterMark), refreshedAt: state?.refreshedAt?.toISOString() ?? null };
}
