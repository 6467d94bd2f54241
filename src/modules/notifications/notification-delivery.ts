import type { Database } from '../../db/database';
import type { JobContext } from '../../platform/jobs/job-definition';
import type { Clock } from '../../shared/clock';
import { describeSmtpError, summariseSmtpError, type MailTransport } from './mail-transport';
import type { DeliverNotificationPayload } from './notifications.jobs';
import { findNotification, markNotificationSent, recordDeliveryFailure } from './notifications.repository';

export interface DeliveryDependencies {
  readonly db: Database;
  readonly clock: Clock;
  /** undefined: no SMTP configured. */
  readonly transport: MailTransport | undefined;
  readonly from: string;
}

/** What a delivery answers (the job's `result`). */
export type DeliveryResult =
  { outcome: 'missing' | 'sent' | 'failed' } | { outcome: 'skipped'; reason: 'no SMTP configured' };

/**
 * The `notification.deliver` job: sends one outbox message by SMTP and records the outcome on
 * the message. A failed attempt is counted and explained on the message, then rethrown so that
 * the job queue retries it with backoff; after the last attempt the message is `failed`.
 * Without SMTP the job succeeds without doing anything and the message stays `queued`, visible
 * in the outbox: it is not sent later if SMTP is configured afterwards.
 * Delivery is at least once: if the outcome cannot be recorded after a send, the retry sends again.
 */
export async function deliverNotification(
  { job }: JobContext<DeliverNotificationPayload>,
  deps: DeliveryDependencies,
): Promise<DeliveryResult> {
  const { notificationId } = job.payload;
  const notification = await findNotification(deps.db, notificationId);
  if (!notification) return { outcome: 'missing' };
  // Resumed after a lost lease, or already decided: nothing left to do.
  if (notification.status !== 'queued') return { outcome: notification.status };
  if (!deps.transport) return { outcome: 'skipped', reason: 'no SMTP configured' };
  try {
    await deps.transport.sendMail({
      from: deps.from,
      to: notification.recipient,
      subject: notification.subject,
      text: notification.body,
      headers: { 'X-Balise-Notification-Id': notification.id },
    });
  } catch (error) {
    const final = job.attempts >= job.maxAttempts;
    await recordDeliveryFailure(deps.db, notification.id, describeSmtpError(error), final);
    throw new Error(summariseSmtpError(error));
  }
  await markNotificationSent(deps.db, notification.id, deps.clock.now());
  return { outcome: 'sent' };
}
