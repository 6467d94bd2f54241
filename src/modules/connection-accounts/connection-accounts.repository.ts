import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { connectionAccounts, mailboxes } from '../../db/schema';

export type ConnectionAccountRow = typeof connectionAccounts.$inferSelect;
/** A link with the account box it names. */
export interface ConnectionAccountRecord {
  link: ConnectionAccountRow;
  account: typeof mailboxes.$inferSelect;
}

/** A shared box's accounts in e-mail order; `after` is the last (emailKey, id) of the previous page. */
export async function selectConnectionAccounts(
  executor: Executor,
  sharedMailboxId: string,
  page: { after?: CursorKey; limit?: number } = {},
): Promise<ConnectionAccountRecord[]> {
  const keyOrder = keyset([mailboxes.emailKey, mailboxes.id], 'asc', page.after);
  const query = executor
    .select({ link: connectionAccounts, account: mailboxes })
    .from(connectionAccounts)
    .innerJoin(mailboxes, eq(mailboxes.id, connectionAccounts.accountMailboxId))
    .where(and(eq(connectionAccounts.sharedMailboxId, sharedMailboxId), keyOrder.after))
    .orderBy(...keyOrder.orderBy);
  return page.limit === undefined ? query : query.limit(page.limit + 1);
}

export async function findConnectionAccount(
  executor: Executor,
  sharedMailboxId: string,
  accountMailboxId: string,
): Promise<ConnectionAccountRecord | undefined> {
  const [row] = await executor
    .select({ link: connectionAccounts, account: mailboxes })
    .from(connectionAccounts)
    .innerJoin(mailboxes, eq(mailboxes.id, connectionAccounts.accountMailboxId))
    .where(
      and(
        eq(connectionAccounts.sharedMailboxId, sharedMailboxId),
        eq(connectionAccounts.accountMailboxId, accountMailboxId),
      ),
    );
  return row;
}

/** For each account, the shared box (other than `sharedMailboxId`) it already opens by default. */
export async function findDefaultsElsewhere(
  executor: Executor,
  accountIds: readonly string[],
  sharedMailboxId: string,
): Promise<Map<string, string>> {
  if (accountIds.length === 0) return new Map();
  const rows = await executor
    .select({
      accountMailboxId: connectionAccounts.accountMailboxId,
      sharedMailboxId: connectionAccounts.sharedMailboxId,
    })
    .from(connectionAccounts)
    .where(
      and(
        inArray(connectionAccounts.accountMailboxId, [...accountIds]),
        eq(connectionAccounts.isDefault, true),
        ne(connectionAccounts.sharedMailboxId, sharedMailboxId),
      ),
    );
  return new Map(rows.map((row) => [row.accountMailboxId, row.sharedMailboxId]));
}

export async function insertConnectionAccounts(
  executor: Executor,
  rows: (typeof connectionAccounts.$inferInsert)[],
): Promise<void> {
  if (rows.length === 0) return;
  await executor.insert(connectionAccounts).values(rows);
}

export async function updateConnectionAccountFlags(
  executor: Executor,
  sharedMailboxId: string,
  accountMailboxId: string,
  flags: { isDefault: boolean; notifyOnReceipt: boolean },
): Promise<void> {
  await executor
    .update(connectionAccounts)
    .set(flags)
    .where(
      and(
        eq(connectionAccounts.sharedMailboxId, sharedMailboxId),
        eq(connectionAccounts.accountMailboxId, accountMailboxId),
      ),
    );
}

export async function deleteConnectionAccounts(
  executor: Executor,
  sharedMailboxId: string,
  accountMailboxIds: readonly string[],
): Promise<number> {
  if (accountMailboxIds.length === 0) return 0;
  const removed = await executor
    .delete(connectionAccounts)
    .where(
      and(
        eq(connectionAccounts.sharedMailboxId, sharedMailboxId),
        inArray(connectionAccounts.accountMailboxId, [...accountMailboxIds]),
      ),
    )
    .returning({ accountMailboxId: connectionAccounts.accountMailboxId });
  return removed.length;
}

/** A link with the shared box it opens, seen from the login's side. */
export interface AccessibleMailboxRecord {
  link: ConnectionAccountRow;
  shared: typeof mailboxes.$inferSelect;
}

/** The shared boxes a login opens, in e-mail order; `after` is the last (emailKey, id) of the previous page. */
export async function selectAccessibleMailboxes(
  executor: Executor,
  accountMailboxId: string,
  page: { after?: CursorKey; limit: number },
): Promise<AccessibleMailboxRecord[]> {
  const keyOrder = keyset([mailboxes.emailKey, mailboxes.id], 'asc', page.after);
  return executor
    .select({ link: connectionAccounts, shared: mailboxes })
    .from(connectionAccounts)
    .innerJoin(mailboxes, eq(mailboxes.id, connectionAccounts.sharedMailboxId))
    .where(and(eq(connectionAccounts.accountMailboxId, accountMailboxId), keyOrder.after))
    .orderBy(...keyOrder.orderBy)
    .limit(page.limit + 1);
}

/** The shared box a login opens by default, if any (at most one: `connection_accounts_one_default_idx`). */
export async function findDefaultSharedMailboxId(
  executor: Executor,
  accountMailboxId: string,
): Promise<string | undefined> {
  const [row] = await executor
    .select({ sharedMailboxId: connectionAccounts.sharedMailboxId })
    .from(connectionAccounts)
    .where(and(eq(connectionAccounts.accountMailboxId, accountMailboxId), eq(connectionAccounts.isDefault, true)));
  return row?.sharedMailboxId;
}
