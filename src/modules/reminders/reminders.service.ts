import { recordAudit, recordAudits } from '../../platform/audit/audit';
import { AppError } from '../../domain/errors/error-catalogue';
import type { RequestContext, ServiceDependencies } from '../../platform/request-context';
import { generateRegistrationToken } from '../mailboxes/registration-token';
import { invitationMessage } from '../notifications/messages';
import { queueNotifications } from '../notifications/notification-outbox';
import { findStructure } from '../structures';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { Reminder, ReminderRecipient } from './reminders.schemas';
import {
  findLastReminder,
  findReminder,
  insertReminder,
  insertReminderRecipients,
  selectReminderRecipients,
  lockPreregisteredMailboxes,
  replaceRegistrationTokens,
  type ReminderRow,
} from './reminders.repository';

/** Boxes per batch: the rows travel as one JSON parameter; bigger batches mean fewer scans of the mailboxes (2,000: 10,000 boxes remind in about 1 s on PostgreSQL). */
const BATCH_SIZE = 2000;

const toReminder = (row: ReminderRow): Reminder => ({ sent: row.sent, at: row.at.toISOString() });

/**
 * Reminds every pre-registered MED, PER and INT box of the structure (ORG and APP boxes are never
 * invited: see `receivesInvitations`): each gets a new registration token (the previous one stops
 * working) and a `reminder` message carrying it in the outbox. The reminder is recorded with the
 * boxes it reached and the address each was sent to (what `…/reminders/last` and its `recipients`
 * show), even when no box needed one.
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
      await insertReminderRecipients(
        tx,
        reminder.id,
        batch.map(({ box }) => box),
      );
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

/**
 * Who a reminder reached, a page at a time, in address order. Without a cursor, the structure's
 * last reminder; the cursor names its reminder, so that a reminder sent while a client pages does
 * not mix two lists. An empty page when the structure never sent one.
 */
export async function listLastReminderRecipients(
  deps: ServiceDependencies,
  structureId: string,
  query: { limit: number; cursor?: string },
): Promise<Page<ReminderRecipient>> {
  if (!(await findStructure(deps.db, structureId))) throw new AppError('NOT_FOUND', 'Structure not found');
  const after = recipientsCursorOf(query.cursor);
  const reminder = after
    ? await findReminder(deps.db, structureId, after.reminderId)
    : await findLastReminder(deps.db, structureId);
  if (!reminder && after) throw invalidCursor();
  if (!reminder) return { items: [], nextCursor: null };
  const rows = await selectReminderRecipients(deps.db, reminder.id, {
    after: after ? [after.recipient, after.mailboxId] : undefined,
    limit: query.limit,
  });
  return toPage(
    rows,
    query.limit,
    (row) => [reminder.id, row.recipient, row.mailboxId],
    (row): ReminderRecipient => ({
      mailboxId: row.mailboxId,
      email: row.recipient,
      lastName: row.lastName,
      firstName: row.firstName,
      type: row.type,
      status: row.status,
    }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidCursor = () =>
  new AppError('BAD_REQUEST', 'The cursor is not one this list produced', [
    { field: 'cursor', code: 'CURSOR_INVALID', message: 'Use the nextCursor of the previous page as it was given' },
  ]);

/** The cursor's reminder and last (recipient, box); ids checked here, so a forged one is a 400, not a database error. */
function recipientsCursorOf(cursor: string | undefined) {
  const key = decodeCursor(cursor, 3);
  if (!key) return undefined;
  const [reminderId, recipient, mailboxId] = key;
  if (typeof reminderId !== 'string' || typeof recipient !== 'string' || typeof mailboxId !== 'string') {
    throw invalidCursor();
  }
  if (!UUID.test(reminderId) || !UUID.test(mailboxId)) throw invalidCursor();
  return { reminderId, recipient, mailboxId };
}
