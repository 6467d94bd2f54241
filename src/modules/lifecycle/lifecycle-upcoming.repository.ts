import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db/database';
import { mailboxes } from '../../db/schema';
import type { MailboxStatus, MailboxType } from '../../domain/mailbox-vocabulary';
import { EXPIRABLE_STATUSES, signOfLifeSql } from './lifecycle.repository';
import type { UpcomingReason } from './lifecycle.schemas';

export interface UpcomingRow {
  id: string;
  structure_id: string;
  email: string;
  type: MailboxType;
  status: MailboxStatus;
  reason: UpcomingReason;
  due_at: string;
  expires_at: string | null;
  last_activity_at: string | null;
  sign_of_life: string;
}

export interface UpcomingFilters {
  /** undefined: every structure (operators). */
  visibleStructureIds: readonly string[] | undefined;
  structureId: string | undefined;
  reason: UpcomingReason | undefined;
  /** Expiry dates up to this day (UTC) are due in the window. */
  expiryUntil: string;
  /** Last signs of life at or before this instant make a deletion due in the window. */
  signOfLifeUntil: Date;
  inactivitySeconds: number;
  after: [string, string, string] | undefined;
  limit: number;
}

/** The same ISO 8601 text on both drivers, whatever their type parsers. */
const isoText = (expression: SQL) => sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Boxes falling due in the window, for deactivation (expiry) or deletion (inactivity), ordered
 * by due instant, reason and id (the keyset). A box due for both appears twice, once per reason.
 */
export async function selectUpcoming(executor: Executor, filters: UpcomingFilters): Promise<UpcomingRow[]> {
  const scope = sql.join(
    [
      filters.visibleStructureIds
        ? sql`${mailboxes.structureId} in (${sql.join(
            filters.visibleStructureIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : undefined,
      filters.structureId ? sql`${mailboxes.structureId} = ${filters.structureId}::uuid` : undefined,
    ]
      .filter((condition): condition is SQL => condition !== undefined)
      .map((condition) => sql` and ${condition}`),
  );
  const common = sql`${mailboxes.id} as id, ${mailboxes.structureId} as structure_id, ${mailboxes.email} as email,
    ${mailboxes.type} as type, ${mailboxes.status} as status, ${mailboxes.expiresAt}::text as expires_at,
    ${isoText(sql`${mailboxes.lastActivityAt}`)} as last_activity_at, ${isoText(signOfLifeSql)} as sign_of_life`;
  const expiryDue = sql`((${mailboxes.expiresAt} + time '00:00') at time zone 'UTC')`;
  const inactivityDue = sql`(${signOfLifeSql} + make_interval(secs => ${filters.inactivitySeconds}::double precision))`;
  const branches: SQL[] = [];
  if (filters.reason !== 'inactivity') {
    branches.push(sql`select ${common}, 'expiry' as reason, ${expiryDue} as due_at from ${mailboxes}
      where ${mailboxes.status} in (${sql.join(
        EXPIRABLE_STATUSES.map((status) => sql`${status}`),
        sql`, `,
      )})
        and ${mailboxes.expiresAt} <= ${filters.expiryUntil}::date${scope}`);
  }
  if (filters.reason !== 'expiry') {
    branches.push(sql`select ${common}, 'inactivity' as reason, ${inactivityDue} as due_at from ${mailboxes}
      where ${mailboxes.status} <> 'deleted' and ${signOfLifeSql} <= ${filters.signOfLifeUntil.toISOString()}::timestamptz${scope}`);
  }
  const after = filters.after
    ? sql`where (due.due_at, due.reason, due.id) > (${filters.after[0]}::timestamptz, ${filters.after[1]}, ${filters.after[2]}::uuid)`
    : sql``;
  return selectRows<UpcomingRow>(
    executor,
    sql`
    select due.id, due.structure_id, due.email, due.type, due.status, due.reason, due.expires_at, due.last_activity_at,
           due.sign_of_life, ${isoText(sql`due.due_at`)} as due_at
      from (${sql.join(branches, sql` union all `)}) due
      ${after}
     order by due.due_at, due.reason, due.id
     limit ${filters.limit + 1}`,
  );
}
