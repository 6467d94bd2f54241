import { sql } from 'drizzle-orm';
import { bigserial, customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ACTOR_TYPES } from '../../domain/actor-types';

/** PostgreSQL's 64-bit transaction id: read and written as its decimal text, it never loses digits. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The event feed (an outbox): one row per committed change, written in the same statement as its
 * audit entry (`platform/audit`). Feed order is `(transaction_id, sequence)`, read only below the
 * oldest transaction still running, so that a reader never passes an event whose transaction has
 * yet to commit (ARCHITECTURE.md, "The event feed"). No foreign keys, like the audit trail.
 */
export const events = pgTable(
  'events',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    /** The writing transaction: feed order across transactions. */
    transactionId: xid8('transaction_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    /**
     * The public id, `evt_` + the feed position in fixed-width hex: unique, and sorting ids sorts
     * events in feed order. The feed's cursor is the id of the last event read.
     */
    id: text('id')
      .notNull()
      .generatedAlwaysAs(
        sql`'evt_' || lpad(to_hex(transaction_id::text::bigint), 16, '0') || lpad(to_hex(sequence), 16, '0')`,
      ),
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    structureId: uuid('structure_id'),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    mailboxId: uuid('mailbox_id'),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    requestId: text('request_id'),
    cause: jsonb('cause'),
    data: jsonb('data'),
  },
  (table) => [
    index('events_feed_idx').on(table.transactionId, table.sequence),
    index('events_structure_feed_idx').on(table.structureId, table.transactionId, table.sequence),
    index('events_occurred_at_idx').on(table.occurredAt),
  ],
);
