import { notifications } from '../../db/schema';
import type { Executor } from '../../db/database';
import { enqueueJob } from '../../platform/jobs/job-queue';

export const DELIVER_NOTIFICATION_JOB = 'notification.deliver';

export interface OutgoingNotification {
  structureId: string | null;
  mailboxId: string | null;
  kind: 'invitation' | 'reminder' | 'expiry_warning' | 'deletion_warning' | 'email_change';
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
  await enqueueJob(executor, DELIVER_NOTIFICATION_JOB, { notificationId: row.id });
  return true;
}
