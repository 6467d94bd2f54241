import { inArray, sql } from 'drizzle-orm';
import { insertFromJsonQuery, updateFromJsonQuery, type PlannedStatement } from '../../../db/bulk-json';
import { connectionAccounts, delegates, mailboxes, mssanteAddresses } from '../../../db/schema';
import type { AddressRow, MailboxRow } from '../../mailboxes';

/** Link pairs (owner box, linked box) by id. */
export type LinkPair = [string, string];

export interface BatchWrites {
  createdBoxes: MailboxRow[];
  /** Boxes whose columns change: every editable column, the id and the update time. */
  changedBoxes: Partial<MailboxRow>[];
  /** Boxes changed only in their address or links: a new version and update time. */
  touchedBoxIds: string[];
  withdrawnAddressIds: string[];
  newAddresses: AddressRow[];
  /** Active addresses whose test flag follows their box, which became or stopped being a test account. */
  retaggedAddresses: Pick<AddressRow, 'id' | 'isTest'>[];
  delegates: { add: LinkPair[]; remove: LinkPair[] };
  connectionAccounts: { add: LinkPair[]; remove: LinkPair[] };
}

const pairsIn = (columns: [unknown, unknown], pairs: readonly LinkPair[]) =>
  sql`(${sql.join(
    columns.map((column) => sql`${column}`),
    sql`, `,
  )}) in (${sql.join(
    pairs.map(([owner, linked]) => sql`(${owner}::uuid, ${linked}::uuid)`),
    sql`, `,
  )})`;

/**
 * Everything a batch changes in the mailbox tables, set-based: one statement per kind of change,
 * in an order the unique indexes accept (boxes changed before others are created, addresses
 * withdrawn before new ones are given, links removed before others are added). New boxes come
 * after their addresses, the address's reference to its box checked at commit (migration 0014):
 * the box's insert trigger then computes its search terms once, with its address, where box-first
 * had each address's trigger compute them again and write a second version of the box row with
 * all its index entries (more than doubling the cost of a created box).
 *
 * Pure: the statements are built before the batch's transaction exists (the apply pass builds
 * the next batch's while the current one is written), and run on it in this order.
 */
export function batchWriteStatements(writes: BatchWrites, now: Date): PlannedStatement[] {
  const statements: (PlannedStatement | null)[] = [];
  if (writes.createdBoxes.length > 0 && writes.newAddresses.length > 0) {
    statements.push(sql`set constraints mssante_addresses_mailbox_id_mailboxes_id_fk deferred`);
  }
  statements.push(updateFromJsonQuery(mailboxes, 'id', writes.changedBoxes, [sql`version = t.version + 1`]));
  if (writes.touchedBoxIds.length > 0) {
    const ids = writes.touchedBoxIds;
    statements.push((executor) =>
      executor
        .update(mailboxes)
        .set({ version: sql`${mailboxes.version} + 1`, updatedAt: now })
        .where(inArray(mailboxes.id, ids)),
    );
  }
  if (writes.withdrawnAddressIds.length > 0) {
    const ids = writes.withdrawnAddressIds;
    statements.push((executor) =>
      executor.update(mssanteAddresses).set({ withdrawnAt: now }).where(inArray(mssanteAddresses.id, ids)),
    );
  }
  statements.push(insertFromJsonQuery(mssanteAddresses, writes.newAddresses));
  statements.push(insertFromJsonQuery(mailboxes, writes.createdBoxes));
  statements.push(updateFromJsonQuery(mssanteAddresses, 'id', writes.retaggedAddresses));
  if (writes.delegates.remove.length > 0) {
    const pairs = pairsIn([delegates.mailboxId, delegates.delegateMailboxId], writes.delegates.remove);
    statements.push((executor) => executor.delete(delegates).where(pairs));
  }
  if (writes.connectionAccounts.remove.length > 0) {
    const pairs = pairsIn(
      [connectionAccounts.sharedMailboxId, connectionAccounts.accountMailboxId],
      writes.connectionAccounts.remove,
    );
    statements.push((executor) => executor.delete(connectionAccounts).where(pairs));
  }
  statements.push(
    insertFromJsonQuery(
      delegates,
      writes.delegates.add.map(([mailboxId, delegateMailboxId]) => ({ mailboxId, delegateMailboxId, createdAt: now })),
    ),
  );
  statements.push(
    insertFromJsonQuery(
      connectionAccounts,
      writes.connectionAccounts.add.map(([sharedMailboxId, accountMailboxId]) => ({
        sharedMailboxId,
        accountMailboxId,
        isDefault: false,
        notifyOnReceipt: false,
        createdAt: now,
      })),
    ),
  );
  return statements.filter((statement) => statement !== null);
}
