import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Requests counted per client and route over a fixed window, shared by every API process (an
 * in-memory count per process would multiply the limit by the number of processes).
 */
export const rateLimitWindows = pgTable('rate_limit_windows', {
  /** The route and the client's address. */
  key: text('key').primaryKey(),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true, precision: 3 }).notNull(),
  hits: integer('hits').notNull(),
});
