import { sql } from 'drizzle-orm';
import { notifications } from '../../db/schema';
import { selectRows, type Executor } from '../../db/database';
import { enqueueJob, enqueueJobs } from '../../platform/jobs/job-queue';
import { deliverNotificationJob } from './notifications.jobs';
import type { NOTIFICATION_KINDS } from './notifications.schemas';

export interface OutgoingNotification {
  structureId: string | null;
  mailboxId: string | null;
  kind: (typeof NOTIFICATION_KINDS)[number];
  recipient: string;
  subject: string;
  body: string;
  /** A notification that must go at most once (e.g. one warning per deadline). */
  dedupeKey?: string;
}

/**
 * Puts a message in the outbox and schedules its delivery, in the caller's transaction: the
 * message exists if and only if its cause committed. Answers false when the dedupe key was used.
 */
export async function queueNotification(executor: Executor, notification: OutgoingNotification): Promise<boolean> {
  const [row] = await executor
    .insert(notifications)
    .values({ ...notification, dedupeKey: notification.dedupeKey ?? null })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  if (!row) return false;
  await enqueueJob(executor, deliverNotificationJob, { notificationId: row.id });
  return true;
}

/**
 * `queueNotification` for many messages at once (reminders to a whole structure): one insert
 * for the messages and one for their delivery jobs, each taking the rows as one JSON parameter
 * (thousands of bind parameters would cost more than the rows). Answers how many were queued:
 * messages whose dedupe key was used are skipped.
 */
export async function queueNotifications(executor: Executor, list: readonly OutgoingNotification[]): Promise<number> {
  if (list.length === 0) return 0;
  const rows = list.map((notification) => ({
    structure_id: notification.structureId,
    mailbox_id: notification.mailboxId,
    kind: notification.kind,
    recipient: notification.recipient,
    subject: notification.subject,
    body: notification.body,
    dedupe_key: notification.dedupeKey ?? null,
  }));
  const inserted = await selectRows<{ id: string }>(
    executor,
    sql`
    insert into ${notifications} (structure_id, mailbox_id, kind, recipient, subject, body, dedupe_key)
    select structure_id, mailbox_id, kind, recipient, subject, body, dedupe_key
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as r(structure_id uuid, mailbox_id uuid, kind text, recipient text, subject text, body text, dedupe_key text)
    on conflict (dedupe_key) do nothing
    returning id`,
  );
  await enqueueJobs(
    executor,
    deliverNotificationJob,
    inserted.map((row) => ({ notificationId: row.id })),
  );
  return inserted.length;
}
