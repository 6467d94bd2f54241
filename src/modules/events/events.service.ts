import type { Executor } from '../../db/database';
import { AppError } from '../../domain/errors/error-catalogue';
import { EVENT_TYPES, isEventType } from '../../platform/audit/event-types';
import { visibleStructureIds, type Caller } from '../../platform/auth/caller';
import { selectFeed, type EventRow, type FeedPosition } from './events.repository';
import type { Event, EventFeedQuery } from './events.schemas';

export interface EventFeedPage {
  items: Event[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** `evt_<transaction id, 16 hex><sequence, 16 hex>`, as the `events.id` column computes it. */
function positionOf(eventId: string): FeedPosition {
  return {
    transactionId: BigInt(`0x${eventId.slice(4, 20)}`).toString(),
    sequence: Number.parseInt(eventId.slice(20), 16),
  };
}

const KNOWN_PREFIXES = new Set(EVENT_TYPES.map((type) => type.slice(0, type.indexOf('.') + 1)));

/** The `type` filter as a list; an unknown type or prefix is a 400 rather than a feed that stays silent. */
function typesOf(filter: string | undefined): string[] {
  if (filter === undefined) return [];
  const types = filter
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
  const unknown = types.filter((type) => !(type.endsWith('.') ? KNOWN_PREFIXES.has(type) : isEventType(type)));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Unknown event type: ${unknown.join(', ')}`, [
      {
        field: 'type',
        code: 'UNKNOWN_EVENT_TYPE',
        message: 'Use the types listed in the Event schema, or their prefixes',
      },
    ]);
  }
  return types;
}

/** An event row as the feed shows it: the one definition of the `Event` a reader or a webhook receives. */
function toEvent(row: EventRow): Event {
  // Types are only ever added, and every row was written from the list: a stranger is a bug.
  if (!isEventType(row.type)) throw new Error(`the feed holds an event of unknown type ${row.type}`);
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    structureId: row.structureId,
    subject: { type: row.subjectType, id: row.subjectId },
    mailboxId: row.mailboxId,
    actor: { type: row.actorType, id: row.actorId },
    requestId: row.requestId,
    cause: (row.cause as Record<string, unknown> | null) ?? null,
    data: row.data,
  };
}

/** The next events of the whole feed after `after`, below its horizon, in commit order (webhook dispatch). */
export async function readFeedBatch(
  executor: Executor,
  after: FeedPosition,
  limit: number,
): Promise<{ events: Event[]; last: FeedPosition | undefined }> {
  const rows = await selectFeed(executor, {
    after,
    types: [],
    structureId: undefined,
    visibleStructureIds: undefined,
    rows: limit,
  });
  const lastRow = rows.at(-1);
  return {
    events: rows.map(toEvent),
    last: lastRow && { transactionId: lastRow.transactionId, sequence: lastRow.sequence },
  };
}

/** One page of the caller's events after `query.after`, in commit order. */
export async function readEventFeed(executor: Executor, caller: Caller, query: EventFeedQuery): Promise<EventFeedPage> {
  const rows = await selectFeed(executor, {
    after: query.after === undefined ? undefined : positionOf(query.after),
    types: typesOf(query.type),
    structureId: query.structureId,
    visibleStructureIds: visibleStructureIds(caller),
    rows: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const items = rows.slice(0, query.limit).map(toEvent);
  return { items, nextCursor: items.at(-1)?.id ?? query.after ?? null, hasMore };
}
