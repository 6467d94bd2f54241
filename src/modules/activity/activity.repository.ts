import { and, asc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { mailboxes } from '../../db/schema';
import type { MailboxStatus, MailboxType } from '../../domain/mailbox-vocabulary';
import { TEMPORARY_TYPES } from '../../domain/temporary-box-policy';

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

/** Boxes in use (or about to be) that a warning is about; deactivated, rejected and deleted ones are done with. */
const IN_USE: MailboxStatus[] = ['preregistered', 'pending', 'valid'];

/** Temporary (INT) boxes in use without an expiry date: how many, and the first `limit` ids. */
export async function findTemporaryBoxesWithoutExpiry(executor: Executor, structureId: string, limit: number) {
  const condition = and(
    eq(mailboxes.structureId, structureId),
    inArray(mailboxes.type, [...TEMPORARY_TYPES]),
    inArray(mailboxes.status, IN_USE),
    isNull(mailboxes.expiresAt),
  );
  const [counted, rows] = await Promise.all([
    executor
      .select({ count: sql<number>`count(*)::int` })
      .from(mailboxes)
      .where(condition),
    executor.select({ id: mailboxes.id }).from(mailboxes).where(condition).orderBy(asc(mailboxes.id)).limit(limit),
  ]);
  return { count: counted[0]?.count ?? 0, mailboxIds: rows.map((row) => row.id) };
}
