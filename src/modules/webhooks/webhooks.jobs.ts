import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { defineJob } from '../../platform/jobs/job-definition';
import { enqueueJob } from '../../platform/jobs/job-queue';
import { PeriodicJobPayloadSchema, periodKeyOf } from '../../platform/jobs/scheduler';
import { SecretBox } from '../../platform/secret-box';
import { attemptDeliveries, type DeliveryDependencies } from './webhook-deliveries';
import { DISPATCH_BATCH, dispatchEventBatch, hasEnabledWebhooks, type DispatchDependencies } from './webhook-dispatch';
import { WebhookSender } from './webhook-sender';

/** Batches one dispatch job moves before it hands over to the next (so a backlog does not hold one worker). */
const DISPATCH_ROUNDS = 20;
/** While an endpoint is enabled, the feed is dispatched every second; otherwise once a minute (scheduler). */
const DISPATCH_PERIOD_MS = 1000;
const IDLE_DISPATCH_PERIOD_MS = 60_000;

/** Deliveries of one endpoint a first-attempt job carries: enough to spare most round trips, few enough to share a backlog among the workers. */
export const DELIVERY_CHUNK = 25;

/** One attempt of each of a few deliveries; HTTP failures are recorded and retried by the handler itself (its own schedule). */
export const deliverWebhookJob = defineJob({
  name: 'webhooks.deliver',
  payload: Type.Object({
    deliveryIds: Type.Array(Type.String(), { minItems: 1, maxItems: DELIVERY_CHUNK }),
    attempt: Type.Integer({ minimum: 1 }),
  }),
  maxAttempts: 3,
  handler: (context, deps: DeliveryDependencies) => attemptDeliveries(context, deps),
});

/**
 * Turns the event feed into deliveries (`webhook-dispatch.ts`). It keeps itself going: each run
 * enqueues the run of the next second under the singleton key of that second, the scheduler's
 * own key format, so the runs of several processes (and the scheduler's minute run) collapse into
 * one per second. With no endpoint enabled it stops, and the scheduler starts it again each minute.
 */
export const dispatchWebhooksJob = defineJob({
  name: 'webhooks.dispatch',
  payload: PeriodicJobPayloadSchema,
  maxAttempts: 1,
  handler: async (context, deps: DispatchDependencies): Promise<{ events: number; deliveries: number }> => {
    const total = { events: 0, deliveries: 0 };
    for (let round = 0; round < DISPATCH_ROUNDS; round += 1) {
      const batch = await dispatchEventBatch(deps);
      if (!batch) break;
      total.events += batch.events;
      total.deliveries += batch.deliveries;
      if (batch.events < DISPATCH_BATCH) break;
      await context.extendLease();
    }
    if (await hasEnabledWebhooks(deps.db)) {
      const next = new Date((Math.floor(deps.clock.now().getTime() / DISPATCH_PERIOD_MS) + 1) * DISPATCH_PERIOD_MS);
      await enqueueJob(
        deps.db,
        dispatchWebhooksJob,
        { periodStart: next.toISOString() },
        { singletonKey: periodKeyOf(dispatchWebhooksJob.name, next), runAt: next },
      );
    }
    return total;
  },
});

export async function registerWebhooksJobs(app: FastifyInstance): Promise<void> {
  const sender = new WebhookSender(app.config.webhooks);
  app.jobs.register(deliverWebhookJob, {
    db: app.db,
    clock: app.clock,
    secrets: new SecretBox(app.config.secretsKey),
    sender,
  });
  app.jobs.register(dispatchWebhooksJob, { db: app.db, clock: app.clock });
  app.scheduler.schedule(dispatchWebhooksJob, { periodMs: IDLE_DISPATCH_PERIOD_MS });
  app.addHook('onClose', async () => sender.close());
}
