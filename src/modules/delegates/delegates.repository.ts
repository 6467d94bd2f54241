import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { delegates, mailboxes } from '../../db/schema';

/** A delegation with the delegate box it names. */
export interface DelegateRecord {
  link: typeof delegates.$inferSelect;
  delegate: typeof mailboxes.$inferSelect;
}

const delegateColumns = { link: delegates, delegate: mailboxes };

/** A box's delegates in e-mail order; `after` is the last (emailKey, id) of the previous page. */
export async function selectDelegates(
  executor: Executor,
  mailboxId: string,
  page: { after?: CursorKey; limit: number },
): Promise<DelegateRecord[]> {
  const keyOrder = keyset([mailboxes.emailKey, mailboxes.id], 'asc', page.after);
  return executor
    .select(delegateColumns)
    .from(delegates)
    .innerJoin(mailboxes, eq(mailboxes.id, delegates.delegateMailboxId))
    .where(and(eq(delegates.mailboxId, mailboxId), keyOrder.after))
    .orderBy(...keyOrder.orderBy)
    .limit(page.limit + 1);
}

export async function findDelegate(
  executor: Executor,
  mailboxId: string,
  delegateMailboxId: string,
): Promise<DelegateRecord | undefined> {
  const [row] = await executor
    .select(delegateColumns)
    .from(delegates)
    .innerJoin(mailboxes, eq(mailboxes.id, delegates.delegateMailboxId))
    .where(and(eq(delegates.mailboxId, mailboxId), eq(delegates.delegateMailboxId, delegateMailboxId)));
  return row;
}

export async function insertDelegate(
  executor: Executor,
  values: typeof delegates.$inferInsert,
): Promise<typeof delegates.$inferSelect> {
  const [row] = await executor.insert(delegates).values(values).returning();
  return row!;
}

export async function deleteDelegate(executor: Executor, mailboxId: string, delegateMailboxId: string): Promise<void> {
  await executor
    .delete(delegates)
    .where(and(eq(delegates.mailboxId, mailboxId), eq(delegates.delegateMailboxId, delegateMailboxId)));
}
