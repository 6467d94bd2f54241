import { and, asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { updateFromJson } from '../../db/bulk-json';
import { mailboxes, reminders } from '../../db/schema';

export type ReminderRow = typeof reminders.$inferSelect;
export interface PreregisteredMailbox {
  id: string;
  structureId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** The structure's pre-registered boxes, locked: a registration completing meanwhile waits for the new tokens. */
export async function lockPreregisteredMailboxes(
  executor: Executor,
  structureId: string,
): Promise<PreregisteredMailbox[]> {
  return executor
    .select({
      id: mailboxes.id,
      structureId: mailboxes.structureId,
      email: mailboxes.email,
      firstName: mailboxes.firstName,
      lastName: mailboxes.lastName,
    })
    .from(mailboxes)
    .where(and(eq(mailboxes.structureId, structureId), eq(mailboxes.status, 'preregistered')))
    .orderBy(asc(mailboxes.id))
    .for('update');
}

/**
 * Replaces registration tokens (their hashes) in one statement. The version is not bumped: the
 * token is not part of the mailbox's representation, so clients' ETags stay valid.
 */
export async function replaceRegistrationTokens(
  executor: Executor,
  tokens: readonly { id: string; tokenHash: string }[],
): Promise<void> {
  await updateFromJson(
    executor,
    mailboxes,
    'id',
    tokens.map(({ id, tokenHash }) => ({ id, registrationTokenHash: tokenHash })),
  );
}

export async function insertReminder(executor: Executor, values: typeof reminders.$inferInsert): Promise<ReminderRow> {
  const [row] = await executor.insert(reminders).values(values).returning();
  return row!;
}

export async function findLastReminder(executor: Executor, structureId: string): Promise<ReminderRow | undefined> {
  const [row] = await executor
    .select()
    .from(reminders)
    .where(eq(reminders.structureId, structureId))
    .orderBy(desc(reminders.at), desc(reminders.id))
    .limit(1);
  return row;
}
