import { recordAudit, recordAudits } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { generateRegistrationToken } from '../mailboxes/registration-token';
import { invitationMessage } from '../notifications/messages';
import { queueNotifications } from '../notifications/notification-outbox';
import { findStructure } from '../structures';
import type { Reminder } from './reminders.schemas';
import {
  findLastReminder,
  insertReminder,
  lockPreregisteredMailboxes,
  replaceRegistrationTokens,
  type ReminderRow,
} from './reminders.repository';

/** Boxes per batch: the rows travel as one JSON parameter; bigger batches mean fewer scans of the mailboxes (2,000: 10,000 boxes remind in about 1 s on PostgreSQL). */
const BATCH_SIZE = 2000;

const toReminder = (row: ReminderRow): Reminder => ({ sent: row.sent, at: row.at.toISOString() });

/**
 * Reminds every pre-registered box of the structure: each gets a new registration token (the
 * previous one stops working) and a `reminder` message carrying it in the outbox. The reminder
 * is recorded (its date is what `…/reminders/last` shows) even when no box needed one.
 */
export async function sendReminders(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
): Promise<Reminder> {
  return deps.db.transaction(async (tx) => {
    if (!(await findStructure(tx, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
    const boxes = await lockPreregisteredMailboxes(tx, structureId);
    const at = deps.clock.now();
    const reminder = await insertReminder(tx, { structureId, sent: boxes.length, at, actorId: context.actor.id });
    for (let start = 0; start < boxes.length; start += BATCH_SIZE) {
      const batch = boxes.slice(start, start + BATCH_SIZE).map((box) => ({ box, ...generateRegistrationToken() }));
      await replaceRegistrationTokens(
        tx,
        batch.map(({ box, tokenHash }) => ({ id: box.id, tokenHash })),
      );
      await queueNotifications(
        tx,
        batch.map(({ box, token }) => invitationMessage(box, token, 'reminder')),
      );
      await recordAudits(
        tx,
        deps.clock,
        context.actor,
        batch.map(({ box }) => ({
          action: 'mailbox.reminded',
          targetType: 'mailbox',
          targetId: box.id,
          structureId,
          mailboxId: box.id,
          cause: { reminderId: reminder.id },
        })),
      );
    }
    await recordAudit(tx, deps.clock, context.actor, {
      action: 'reminder.sent',
      targetType: 'reminder',
      targetId: reminder.id,
      structureId,
      after: toReminder(reminder),
    });
    return toReminder(reminder);
  });
}

export async function getLastReminder(
  deps: ServiceDependencies,
  context: RequestContext,
  structureId: string,
): Promise<Reminder | null> {
  if (!(await findStructure(deps.db, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
  const row = await findLastReminder(deps.db, structureId);
  return row ? toReminder(row) : null;
}
