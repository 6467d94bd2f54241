import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ACTOR_TYPES } from '../../domain/actor-types';

/**
 * Append-only, enforced by a trigger (migration 0014): only the lifecycle sweep may redact a
 * purged box's personal data or delete events past `BALISE_AUDIT_RETENTION_MONTHS`, each change
 * audited (`platform/audit/trail-guard.ts`). No foreign keys: the trail must outlive what it
 * describes (deleted mailboxes, purged personal data, removed structures).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    /** Monotonic, so that cursor pagination in insertion order is exact. */
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    actorType: text('actor_type', { enum: ACTOR_TYPES }).notNull(),
    actorId: text('actor_id'),
    requestId: text('request_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    structureId: uuid('structure_id'),
    mailboxId: uuid('mailbox_id'),
    cause: jsonb('cause'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (table) => [
    index('audit_events_structure_idx').on(table.structureId, table.sequence),
    index('audit_events_mailbox_idx').on(table.mailboxId, table.sequence),
    index('audit_events_target_idx').on(table.targetId, table.sequence),
    // The retention sweep deletes the oldest events first, in batches.
    index('audit_events_occurred_at_idx').on(table.occurredAt),
  ],
);
