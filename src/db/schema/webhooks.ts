import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { primaryId, version } from './columns';

const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * Endpoints that receive the event feed by HTTP. The signing secret is needed in clear to sign
 * (HMAC), so it cannot be hashed: it is stored encrypted (AES-256-GCM, `platform/secret-box.ts`).
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: primaryId(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Event types, prefixes ending with `.`, or `*`. */
    eventTypes: text('event_types').array().notNull(),
    /** The structures whose events it receives; empty: every structure (operator endpoints only). */
    structureIds: uuid('structure_ids').array().notNull().default([]),
    enabled: boolean('enabled').notNull().default(true),
    /** Why the system turned it off (`failing`), null when enabled or disabled by hand. */
    disabledReason: text('disabled_reason'),
    secretCiphertext: text('secret_ciphertext').notNull(),
    /** The secret before the last rotation, which still signs until `previous_secret_expires_at`. */
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, precision: 3 }),
    /** First failed attempt since the last success: five days of failures disable the endpoint. */
    failingSince: timestamp('failing_since', { withTimezone: true, precision: 3 }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
    /** Bumped by every change of what `GET /v1/webhooks/{id}` shows: its ETag. */
    version: version(),
  },
  (table) => [index('webhooks_structure_ids_idx').using('gin', table.structureIds)],
);

/** One message to one endpoint: an event (or a ping) and every attempt at delivering it. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: primaryId(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** The `webhook-id` header: the event id (`evt_…`), the same on every attempt and redelivery. */
    messageId: text('message_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The body sent, kept so that retries and redeliveries send the same bytes after the feed's retention. */
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'succeeded', 'failed'] })
      .notNull()
      .default('pending'),
    attemptCount: integer('attempt_count').notNull().default(0),
    /** `[{ at, statusCode, durationMs, error }]`, oldest first. */
    attempts: jsonb('attempts')
      .notNull()
      .default(sql`'[]'::jsonb`),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [index('webhook_deliveries_webhook_idx').on(table.webhookId, table.createdAt, table.id)],
);

/**
 * Where the dispatcher stopped in the event feed: one row, locked by the dispatch transaction,
 * so one dispatcher at a time moves it whatever the number of processes.
 */
export const webhookDispatchCursor = pgTable('webhook_dispatch_cursor', {
  id: integer('id').primaryKey(),
  transactionId: xid8('transaction_id').notNull(),
  sequence: bigint('sequence', { mode: 'number' }).notNull(),
});
