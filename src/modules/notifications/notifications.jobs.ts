import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { defineJob } from '../../platform/jobs/job-definition';
import { dependenciesOf } from '../../platform/request-context';
import { createMailTransport } from './mail-transport';
import { deliverNotification, type DeliveryDependencies } from './notification-delivery';

/**
 * Delivery attempts per message. With the runner's exponential backoff (5 s, 10 s, 20 s…) the
 * last attempt comes about ten minutes after the first: long enough to ride out a mail relay's
 * restart, short enough that a dead address is reported as `failed` the same day.
 */
export const DELIVERY_MAX_ATTEMPTS = 8;

export const DeliverNotificationPayloadSchema = Type.Object({ notificationId: Type.String() });
export type DeliverNotificationPayload = Static<typeof DeliverNotificationPayloadSchema>;

/** Sends one outbox message (`notification-delivery.ts`): enqueued with the message, in its transaction. */
export const deliverNotificationJob = defineJob({
  name: 'notification.deliver',
  payload: DeliverNotificationPayloadSchema,
  maxAttempts: DELIVERY_MAX_ATTEMPTS,
  handler: (context, deps: DeliveryDependencies) => deliverNotification(context, deps),
});

/** The mail transport is opened here (none without SMTP) and closed with the app. */
export async function registerNotificationsJobs(app: FastifyInstance): Promise<void> {
  const transport = await createMailTransport(app.config.smtp);
  app.jobs.register(deliverNotificationJob, { ...dependenciesOf(app), transport, from: app.config.smtp.from });
  if (transport) app.addHook('onClose', async () => transport.close());
}
