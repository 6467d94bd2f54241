import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] })
      .notNull()
      .default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamp('run_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Set while a runner holds the job; a runner that dies lets the lease run out and another takes over. */
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true, precision: 3 }),
    /**
     * The furthest point of durable work the job reached, in a unit of its own (an import: rows
     * validated, then rows applied), and the attempt that last moved it. A job found abandoned
     * (lease run out) whose attempt did not move it stopped without progress: a crash on its input.
     */
    progress: bigint('progress', { mode: 'number' }).notNull().default(0),
    progressedInAttempt: integer('progressed_in_attempt'),
    /** At most one job per key is ever enqueued: scheduled sweeps use it so that several processes enqueue one run. */
    singletonKey: text('singleton_key').unique(),
    lastError: text('last_error'),
    result: jsonb('result'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }),
    finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    index('jobs_claimable_idx')
      .on(table.runAt, table.id)
      .where(sql`${table.status} in ('queued', 'running')`),
  ],
);
