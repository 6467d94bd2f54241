import { keyset } from '../../db/keyset';
import type { CursorKey } from '../../shared/pagination';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/database';
import { insertFromJson, updateFromJson } from '../../db/bulk-json';
import { mailboxes, reminderRecipients, reminders } from '../../db/schema';
import { MAILBOX_TYPES, receivesInvitations } from '../../domain/mailbox-vocabulary';

export type ReminderRow = typeof reminders.$inferSelect;
export interface PreregisteredMailbox {
  id: string;
  structureId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** The types a reminder reaches: MED, PER and INT (`receivesInvitations`). */
const REMINDED_TYPES = MAILBOX_TYPES.filter(receivesInvitations);

/**
 * The structure's pre-registered boxes a reminder reaches (MED, PER, INT), locked: a registration
 * completing meanwhile waits for the new tokens.
 */
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
    .where(
      and(
        eq(mailboxes.structureId, structureId),
        eq(mailboxes.status, 'preregistered'),
        inArray(mailboxes.type, REMINDED_TYPES),
      ),
    )
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

export async function insertReminderRecipients(
  executor: Executor,
  reminderId: string,
  boxes: readonly { id: string; email: string }[],
): Promise<void> {
  if (boxes.length === 0) return;
  await insertFromJson(
    executor,
    reminderRecipients,
    boxes.map((box) => ({ reminderId, mailboxId: box.id, recipient: box.email })),
  );
}

export async function findReminder(
  executor: Executor,
  structureId: string,
  reminderId: string,
): Promise<ReminderRow | undefined> {
  const [row] = await executor
    .select()
    .from(reminders)
    .where(and(eq(reminders.id, reminderId), eq(reminders.structureId, structureId)));
  return row;
}

export interface ReminderRecipientRecord {
  mailboxId: string;
  recipient: string;
  type: (typeof mailboxes.$inferSelect)['type'];
  lastName: string;
  firstName: string;
  status: (typeof mailboxes.$inferSelect)['status'];
}

/** A reminder's recipients in address order; `after` is the last (recipient, mailboxId) of the previous page. */
export async function selectReminderRecipients(
  executor: Executor,
  reminderId: string,
  page: { after?: CursorKey; limit: number },
): Promise<ReminderRecipientRecord[]> {
  const keyOrder = keyset([reminderRecipients.recipient, reminderRecipients.mailboxId], 'asc', page.after);
  return executor
    .select({
      mailboxId: reminderRecipients.mailboxId,
      recipient: reminderRecipients.recipient,
      type: mailboxes.type,
      lastName: mailboxes.lastName,
      firstName: mailboxes.firstName,
      status: mailboxes.status,
    })
    .from(reminderRecipients)
    .innerJoin(mailboxes, eq(mailboxes.id, reminderRecipients.mailboxId))
    .where(and(eq(reminderRecipients.reminderId, reminderId), keyOrder.after))
    .orderBy(...keyOrder.orderBy)
    .limit(page.limit + 1);
}
