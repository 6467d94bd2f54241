import { and, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { mailboxes } from '../../db/schema';
import type { MailboxStatus, MailboxType } from '../../domain/mailbox-vocabulary';

export async function countMailboxesByStatus(executor: Executor, structureId: string) {
  return executor
    .select({ status: mailboxes.status, count: sql<number>`count(*)::int` })
    .from(mailboxes)
    .where(eq(mailboxes.structureId, structureId))
    .groupBy(mailboxes.status) as Promise<{ status: MailboxStatus; count: number }[]>;
}

export async function countMailboxesByType(executor: Executor, structureId: string) {
  return executor
    .select({ type: mailboxes.type, count: sql<number>`count(*)::int` })
    .from(mailboxes)
    .where(and(eq(mailboxes.structureId, structureId), ne(mailboxes.status, 'deleted')))
    .groupBy(mailboxes.type) as Promise<{ type: MailboxType; count: number }[]>;
}
