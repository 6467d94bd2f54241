import { sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db/database';

/**
 * Deletes up to `limit` audit events that occurred before `cutoff`, oldest first, and answers
 * how many went and the range of their sequence numbers. The caller's transaction must hold the
 * trail's 'prune' permission.
 */
export async function deleteAuditEventsBefore(
  executor: Executor,
  cutoff: Date,
  limit: number,
): Promise<{ deleted: number; firstSequence: number | null; lastSequence: number | null }> {
  const [row] = await selectRows<{ deleted: number; first: string | null; last: string | null }>(
    executor,
    sql`with gone as (
          delete from audit_events where sequence in (
            select sequence from audit_events where occurred_at < ${cutoff.toISOString()}::timestamptz
            order by occurred_at, sequence limit ${limit})
          returning sequence)
        select count(*)::int as deleted, min(sequence)::text as first, max(sequence)::text as last from gone`,
  );
  return {
    deleted: row?.deleted ?? 0,
    firstSequence: row?.first == null ? null : Number(row.first),
    lastSequence: row?.last == null ? null : Number(row.last),
  };
}
