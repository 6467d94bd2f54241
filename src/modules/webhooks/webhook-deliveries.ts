import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { webhookDeliveries, webhooks } from '../../db/schema';
import { recordAudit, systemActor } from '../../platform/audit/audit';
import type { JobContext } from '../../platform/jobs/job-definition';
import { enqueueJob } from '../../platform/jobs/job-queue';
import type { SecretBox } from '../../platform/secret-box';
import type { Clock } from '../../shared/clock';
import { findStructure } from '../structures';
import { queueNotification } from '../notifications/notification-outbox';
import type { AttemptOutcome, WebhookSender } from './webhook-sender';
import { signedHeaders } from './webhook-signing';
import type { WebhookDeliveryRow, WebhookRow } from './webhooks.repository';
import type { WebhookDelivery } from './webhooks.schemas';
import { deliverWebhookJob } from './webhooks.jobs';
import { auditStructureOf, toWebhook } from './webhook-view';

/**
 * Waits after failed attempts 1 to 7 (Standard Webhooks' suggested schedule, about 31 hours in
 * all); the eighth failure makes the delivery `failed`. A redelivery is one more attempt.
 */
export const RETRY_DELAYS_MS = [5e3, 5 * 60e3, 30 * 60e3, 2 * 3600e3, 5 * 3600e3, 10 * 3600e3, 14 * 3600e3];
/** An endpoint whose every attempt failed for this long is disabled and its structures' contacts told. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;

interface Attempt {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhookId,
    messageId: row.messageId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts as Attempt[],
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface DeliveryDependencies {
  readonly db: Database;
  readonly clock: Clock;
  readonly secrets: SecretBox;
  readonly sender: WebhookSender;
}

export interface AttemptResult {
  outcome: 'succeeded' | 'retrying' | 'failed' | 'skipped';
  statusCode?: number | null;
}

export interface DeliverPayload {
  deliveryId: string;
  /** Which attempt this job is: a job whose attempt was made already (a lease lost, a duplicate) does nothing. */
  attempt: number;
}

/** One attempt of one delivery (the `webhooks.deliver` job). */
export async function attemptDelivery(
  context: JobContext<DeliverPayload>,
  deps: DeliveryDependencies,
): Promise<AttemptResult> {
  const { deliveryId, attempt } = context.job.payload;
  const [found] = await deps.db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  if (!found || found.delivery.status !== 'pending' || found.delivery.attemptCount !== attempt - 1)
    return { outcome: 'skipped' };
  const { delivery, webhook } = found;
  const outcome: AttemptOutcome =
    webhook.enabled || delivery.eventType === 'webhook.ping'
      ? await send(delivery, webhook, deps)
      : { statusCode: null, durationMs: 0, error: 'the endpoint is disabled' };
  return recordAttempt(deps, delivery, webhook, attempt, outcome);
}

function send(delivery: WebhookDeliveryRow, webhook: WebhookRow, deps: DeliveryDependencies) {
  const secrets = [deps.secrets.open(webhook.secretCiphertext)];
  if (
    webhook.previousSecretCiphertext &&
    webhook.previousSecretExpiresAt &&
    webhook.previousSecretExpiresAt > deps.clock.now()
  )
    secrets.push(deps.secrets.open(webhook.previousSecretCiphertext));
  // jsonb gives the same key order every time: each attempt sends the same bytes.
  const body = JSON.stringify(delivery.payload);
  return deps.sender.send(webhook.url, body, signedHeaders(delivery.messageId, body, secrets));
}

async function recordAttempt(
  deps: DeliveryDependencies,
  delivery: WebhookDeliveryRow,
  webhook: WebhookRow,
  attempt: number,
  outcome: AttemptOutcome,
): Promise<AttemptResult> {
  const now = deps.clock.now();
  const entry: Attempt = { at: now.toISOString(), ...outcome };
  const succeeded = outcome.error === null;
  const delay = succeeded || !webhook.enabled ? undefined : RETRY_DELAYS_MS[attempt - 1];
  const nextAttemptAt = delay === undefined ? null : new Date(now.getTime() + delay);
  const status: 'succeeded' | 'pending' | 'failed' = succeeded ? 'succeeded' : nextAttemptAt ? 'pending' : 'failed';
  // The common case, a success on a healthy endpoint, is one statement: no transaction to open.
  const needsTransaction = !succeeded || webhook.failingSince !== null;
  const record = async (tx: Tx | Database): Promise<AttemptResult> => {
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({
        status,
        attemptCount: attempt,
        attempts: sql`${webhookDeliveries.attempts} || ${JSON.stringify([entry])}::jsonb`,
        nextAttemptAt,
      })
      // Compare-and-set: a concurrent run of the same attempt (a lapsed lease) records nothing twice.
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attemptCount, attempt - 1)))
      .returning({ id: webhookDeliveries.id });
    if (!updated) return { outcome: 'skipped' };
    if (nextAttemptAt)
      await enqueueJob(
        tx,
        deliverWebhookJob,
        { deliveryId: delivery.id, attempt: attempt + 1 },
        {
          runAt: nextAttemptAt,
        },
      );
    if (succeeded) {
      if (webhook.failingSince)
        await tx.update(webhooks).set({ failingSince: null }).where(eq(webhooks.id, webhook.id));
    } else if (webhook.enabled) {
      await noteFailure(tx, deps, webhook, now);
    }
    return { outcome: status === 'pending' ? 'retrying' : status, statusCode: outcome.statusCode };
  };
  return needsTransaction ? deps.db.transaction((tx) => record(tx)) : record(deps.db);
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Keeps when the endpoint started failing; five days of nothing but failures turn it off. */
async function noteFailure(
  tx: Tx | Database,
  deps: DeliveryDependencies,
  webhook: WebhookRow,
  now: Date,
): Promise<void> {
  const [row] = await tx
    .update(webhooks)
    .set({ failingSince: sql`coalesce(${webhooks.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(webhooks.id, webhook.id))
    .returning();
  if (!row?.failingSince || !row.enabled || now.getTime() - row.failingSince.getTime() < DISABLE_AFTER_FAILING_MS)
    return;
  const [disabled] = await tx
    .update(webhooks)
    .set({ enabled: false, disabledReason: 'failing', updatedAt: now })
    .where(and(eq(webhooks.id, webhook.id), eq(webhooks.enabled, true)))
    .returning();
  if (!disabled) return;
  await recordAudit(tx, deps.clock, systemActor('webhooks.deliver'), {
    action: 'webhook.disabled',
    targetType: 'webhook',
    targetId: webhook.id,
    structureId: auditStructureOf(disabled),
    cause: { reason: 'failing', failingSince: row.failingSince.toISOString() },
    before: toWebhook(row),
    after: toWebhook(disabled),
  });
  for (const structureId of disabled.structureIds) {
    const structure = await findStructure(tx, structureId);
    if (!structure?.contactEmail) continue;
    await queueNotification(tx, {
      structureId,
      mailboxId: null,
      kind: 'webhook_disabled',
      recipient: structure.contactEmail,
      subject: 'Balise : un webhook a été désactivé',
      body: [
        'Bonjour,',
        '',
        `Le webhook ${disabled.id} (${disabled.url}) a été désactivé : chacune de ses livraisons échoue`,
        `depuis le ${row.failingSince.toISOString()}. Les événements restent lisibles dans GET /v1/events.`,
        'Réactivez-le (PATCH /v1/webhooks/{id} avec "enabled": true) une fois le récepteur réparé.',
      ].join('\n'),
      dedupeKey: `webhook_disabled:${disabled.id}:${structureId}:${now.toISOString()}`,
    });
  }
}
