import { sql } from 'drizzle-orm';
import type { Transaction } from '../../db/database';

/**
 * The two changes the append-only trail allows (migration 0014's trigger refuses any other
 * UPDATE, DELETE or TRUNCATE of `audit_events`): redacting a purged box's personal data, and
 * deleting events past their retention. Both belong to the lifecycle sweep, which audits each.
 */
export type TrailChange = 'redact' | 'prune';

/**
 * Lets this transaction make `change` to the trail, until it ends (a transaction-local setting:
 * the permission cannot leak to the next user of the connection).
 */
export async function allowTrailChange(tx: Transaction, change: TrailChange): Promise<void> {
  await tx.execute(sql`select set_config('balise.audit_trail_change', ${change}, true)`);
}

/** Ends the permission before the transaction goes on to other writes. */
export async function endTrailChange(tx: Transaction): Promise<void> {
  await tx.execute(sql`select set_config('balise.audit_trail_change', '', true)`);
}
