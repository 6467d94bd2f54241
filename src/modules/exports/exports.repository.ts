import { keyset } from '../../db/keyset';
import { and, asc, desc, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { connectionAccounts, delegates, mailboxes, mssanteAddresses } from '../../db/schema';
import { signOfLifeSql } from '../lifecycle';
import type { MailboxType } from '../../domain/mailbox-vocabulary';
import type { AddressRow, MailboxRow } from '../mailboxes';

/** Keyset position in an export: the name sort of the structure's list, then the id. */
export type ExportKey = [lastNameKey: string, firstNameKey: string, id: string];

export interface ExportBatchQuery {
  structureId: string;
  /** What the export holds besides the structure filter. */
  condition: SQL | undefined;
  types: readonly MailboxType[];
  after: ExportKey | undefined;
  limit: number;
}

const at = (instant: Date) => sql`${instant.toISOString()}::timestamptz`;

/** The boxes of the structure still in use (every status but deleted). */
export const currentBoxes = (): SQL => ne(mailboxes.status, 'deleted');

/** Boxes deleted after `deletedSince`, and boxes in use whose last sign of life is at or before `inactiveSince`. */
export const deletedOrDueBoxes = (deletedSince: Date, inactiveSince: Date): SQL =>
  or(
    and(eq(mailboxes.status, 'deleted'), sql`${mailboxes.deletedAt} > ${at(deletedSince)}`),
    and(ne(mailboxes.status, 'deleted'), sql`${signOfLifeSql} <= ${at(inactiveSince)}`),
  )!;

/** One batch of boxes in (last name, first name, id) order, after the keyset position. */
export async function selectExportBatch(executor: Executor, query: ExportBatchQuery): Promise<MailboxRow[]> {
  const keyOrder = keyset([mailboxes.lastNameKey, mailboxes.firstNameKey, mailboxes.id], 'asc', query.after);
  return executor
    .select()
    .from(mailboxes)
    .where(
      and(
        eq(mailboxes.structureId, query.structureId),
        inArray(mailboxes.type, [...query.types]),
        query.condition,
        keyOrder.after,
      ),
    )
    .orderBy(...keyOrder.orderBy)
    .limit(query.limit);
}

/**
 * The address to show for each box: the active one, or for a deleted box the one it held last
 * (withdrawn by the deletion).
 */
export async function selectLatestAddresses(
  executor: Executor,
  mailboxIds: readonly string[],
): Promise<Map<string, AddressRow>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await executor
    .selectDistinctOn([mssanteAddresses.mailboxId])
    .from(mssanteAddresses)
    .where(inArray(mssanteAddresses.mailboxId, [...mailboxIds]))
    .orderBy(
      mssanteAddresses.mailboxId,
      sql`${mssanteAddresses.withdrawnAt} desc nulls first`,
      desc(mssanteAddresses.assignedAt),
    );
  return new Map(rows.map((row) => [row.mailboxId, row]));
}

/** Lower-case e-mails of each box's delegates and connection accounts (columns AB and AH). */
export async function selectLinkEmails(executor: Executor, mailboxIds: readonly string[]) {
  const delegatesOf = new Map<string, string[]>();
  const accountsOf = new Map<string, string[]>();
  if (mailboxIds.length === 0) return { delegatesOf, accountsOf };
  const ids = [...mailboxIds];
  const delegateRows = await executor
    .select({ ownerId: delegates.mailboxId, email: mailboxes.emailKey })
    .from(delegates)
    .innerJoin(mailboxes, eq(mailboxes.id, delegates.delegateMailboxId))
    .where(inArray(delegates.mailboxId, ids))
    .orderBy(asc(mailboxes.emailKey));
  for (const row of delegateRows) delegatesOf.set(row.ownerId, [...(delegatesOf.get(row.ownerId) ?? []), row.email]);
  const accountRows = await executor
    .select({ ownerId: connectionAccounts.sharedMailboxId, email: mailboxes.emailKey })
    .from(connectionAccounts)
    .innerJoin(mailboxes, eq(mailboxes.id, connectionAccounts.accountMailboxId))
    .where(inArray(connectionAccounts.sharedMailboxId, ids))
    .orderBy(asc(mailboxes.emailKey));
  for (const row of accountRows) accountsOf.set(row.ownerId, [...(accountsOf.get(row.ownerId) ?? []), row.email]);
  return { delegatesOf, accountsOf };
}
