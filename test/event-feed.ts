import { sql } from 'drizzle-orm';
import { selectRows } from '../src/db/database';
import type { TestApp } from './harness';

/**
 * Waits until the event feed shows every transaction committed so far.
 *
 * The feed reads below the server's oldest running transaction, in any database (ARCHITECTURE.md,
 * "The event feed"): on PostgreSQL, another jest worker's open transaction holds committed events
 * back for a moment. A transaction id taken now is above every committed one; once the horizon has
 * passed it, nothing committed before this call can still appear behind a cursor read after it.
 * PGlite has one connection: the horizon is always there.
 */
export async function settleEventFeed(test: TestApp): Promise<void> {
  const [now] = await selectRows<{ id: string }>(test.app.db, sql`select pg_current_xact_id()::text as id`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [state] = await selectRows<{ passed: boolean }>(
      test.app.db,
      sql`select pg_snapshot_xmin(pg_current_snapshot()) > ${now!.id}::xid8 as passed`,
    );
    if (state!.passed) return;
    if (Date.now() > deadline) throw new Error('the event feed horizon stayed behind for 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
