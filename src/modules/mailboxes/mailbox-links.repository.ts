import { eq, or } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { connectionAccounts, delegates } from '../../db/schema';

/** Links a box may no longer hold once it stops being nominative (delegates, being a connection account). */
export async function removeNominativeLinks(executor: Executor, mailboxId: string) {
  const removedDelegates = await executor
    .delete(delegates)
    .where(or(eq(delegates.mailboxId, mailboxId), eq(delegates.delegateMailboxId, mailboxId)))
    .returning();
  const removedAccess = await executor
    .delete(connectionAccounts)
    .where(eq(connectionAccounts.accountMailboxId, mailboxId))
    .returning();
  return { delegates: removedDelegates.length, connectionAccounts: removedAccess.length };
}

/** Links a box may no longer hold once it stops being shared (its connection accounts). */
export async function removeSharedLinks(executor: Executor, mailboxId: string) {
  const removed = await executor
    .delete(connectionAccounts)
    .where(eq(connectionAccounts.sharedMailboxId, mailboxId))
    .returning();
  return { delegates: 0, connectionAccounts: removed.length };
}

/** Every link, both ways: links never cross structures, so a transfer drops them all. */
export async function removeAllLinks(executor: Executor, mailboxId: string) {
  const nominative = await removeNominativeLinks(executor, mailboxId);
  const shared = await removeSharedLinks(executor, mailboxId);
  return {
    delegates: nominative.delegates,
    connectionAccounts: nominative.connectionAccounts + shared.connectionAccounts,
  };
}
