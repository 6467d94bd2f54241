import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * What the national directory feed has published, one row per ANS entry. The key is the
 * address and the ANS type, as at the ANS: a box whose address or type changes withdraws its old
 * entry and publishes a new one. A refresh recomputes the publishable boxes, diffs them against
 * this table by content hash, and stamps every row it adds, changes or withdraws with the next
 * `sequence`: `since=<sync token>` is then "rows with a greater sequence". Nothing else writes
 * here, so the modules that change boxes need not know about the feed.
 */
export const directoryEntries = pgTable(
  'directory_entries',
  {
    address: text('address').notNull(),
    ansType: text('ans_type').notNull(),
    mailboxId: uuid('mailbox_id').notNull(),
    structureId: uuid('structure_id').notNull(),
    /** The entry as last published (kept on withdrawal, so integrators know what to remove). */
    entry: jsonb('entry').notNull(),
    contentHash: text('content_hash').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    publishedAt: instant('published_at').notNull(),
    changedAt: instant('changed_at').notNull(),
    withdrawnAt: instant('withdrawn_at'),
  },
  (table) => [
    primaryKey({ columns: [table.address, table.ansType] }),
    index('directory_entries_sequence_idx').on(table.sequence),
    index('directory_entries_structure_sequence_idx').on(table.structureId, table.sequence),
    index('directory_entries_changed_idx').on(table.changedAt),
  ],
);

/**
 * One row (id 1): the feed's high-water mark and when it was last refreshed. Refreshes lock it
 * (`FOR UPDATE`), so they run one at a time and sequences commit in order: a reader that has
 * seen sequence n has seen every row up to n.
 */
export const directoryFeedState = pgTable('directory_feed_state', {
  id: integer('id').primaryKey(),
  lastSequence: bigint('last_sequence', { mode: 'number' }).notNull().default(0),
  refreshedAt: instant('refreshed_at'),
  /** Publishable boxes at the last refresh. */
  publishedCount: integer('published_count').notNull().default(0),
});
