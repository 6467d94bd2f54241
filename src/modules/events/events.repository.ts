import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { escapeLike } from '../../db/escape-like';
import { events } from '../../db/schema';

export type EventRow = typeof events.$inferSelect;

/** A place in the feed: the writing transaction, then the order within it. */
export interface FeedPosition {
  transactionId: string;
  sequence: number;
}

export interface FeedFilters {
  after: FeedPosition | undefined;
  /** Exact types, and prefixes ending with `.`. */
  types: readonly string[];
  structureId: string | undefined;
  /** undefined: every structure (operators). */
  visibleStructureIds: readonly string[] | undefined;
  /** How many rows to read: a page that tells whether another follows asks for one more than it shows. */
  rows: number;
}

/**
 * The feed's horizon: only events whose transaction is older than every transaction still
 * running. An event written by a transaction that has not committed yet (and so is invisible)
 * has a transaction id at or above it, so no reader can pass over it and leave it behind.
 * Every reader of the feed (this page, webhook dispatch) reads below it, after a position.
 */
export function feedAfter(position: FeedPosition | undefined): SQL {
  const horizon = sql`${events.transactionId} < pg_snapshot_xmin(pg_current_snapshot())`;
  if (position === undefined) return horizon;
  return sql`${horizon} and (${events.transactionId}, ${events.sequence}) > (${position.transactionId}::xid8, ${position.sequence}::bigint)`;
}

/** Events in feed order, below the horizon, after the reader's position (`feedAfter`). */
export function selectFeed(executor: Executor, filters: FeedFilters): Promise<EventRow[]> {
  const typeConditions = filters.types.map((type) =>
    type.endsWith('.') ? like(events.type, escapeLike(type) + '%') : eq(events.type, type),
  );
  const conditions: (SQL | undefined)[] = [
    feedAfter(filters.after),
    filters.visibleStructureIds ? inArray(events.structureId, [...filters.visibleStructureIds]) : undefined,
    filters.structureId ? eq(events.structureId, filters.structureId) : undefined,
    typeConditions.length > 0 ? or(...typeConditions) : undefined,
  ];
  return executor
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(asc(events.transactionId), asc(events.sequence))
    .limit(filters.rows);
}

/** Deletes up to `batchSize` events older than `cutoff`; answers how many went. */
export async function deleteEventsBefore(executor: Executor, cutoff: Date, batchSize: number): Promise<number> {
  const deleted = await executor
    .delete(events)
    .where(
      inArray(
        events.sequence,
        executor
          .select({ sequence: events.sequence })
          .from(events)
          .where(sql`${events.occurredAt} < ${cutoff}`)
          .limit(batchSize),
      ),
    )
    .returning({ sequence: events.sequence });
  return deleted.length;
}
