import { and, eq, inArray, sql } from 'drizzle-orm';
import { selectRows, type Database, type Executor } from '../../db/database';
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
import { findWebhook, updateWebhookRow, type WebhookDeliveryRow, type WebhookRow } from './webhooks.repository';
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

/** How a job's deliveries went; each is counted once. */
export interface AttemptsResult {
  succeeded: number;
  retrying: number;
  failed: number;
  /** Not sent: their endpoint did not answer the message before them in this job (planned again). */
  deferred: number;
  /** Not this attempt's to make any more (recorded already, or no longer pending). */
  skipped: number;
}

export interface DeliverPayload {
  /** Deliveries of one endpoint, sent in this order (the dispatcher's: the feed's). */
  deliveryIds: string[];
  /** Which attempt this job is: a delivery whose attempt was made already (a lease lost, a duplicate) is skipped. */
  attempt: number;
}

interface Sent {
  delivery: WebhookDeliveryRow;
  outcome: AttemptOutcome;
}

/**
 * One attempt of each of a job's deliveries (the `webhooks.deliver` job): first attempts come in
 * chunks of one endpoint's deliveries from the dispatcher, retries and redeliveries one by one or
 * as the chunk that failed together. Messages go one after another over the endpoint's kept-alive
 * connection; what is sent is then recorded in one transaction, whatever the number.
 *
 * An endpoint that does not answer at all (refused, unreachable, timed out) is not asked again in
 * the same job: each try could cost the whole timeout. The deliveries after it are not attempted;
 * they are planned again, their attempt still to make, when the failed one is retried.
 */
export async function attemptDeliveries(
  context: JobContext<DeliverPayload>,
  deps: DeliveryDependencies,
): Promise<AttemptsResult> {
  const { deliveryIds, attempt } = context.job.payload;
  const found = await deps.db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(inArray(webhookDeliveries.id, deliveryIds));
  const due = found
    .filter(({ delivery }) => delivery.status === 'pending' && delivery.attemptCount === attempt - 1)
    .sort((a, b) => deliveryIds.indexOf(a.delivery.id) - deliveryIds.indexOf(b.delivery.id));
  const result: AttemptsResult = { succeeded: 0, retrying: 0, failed: 0, deferred: 0, skipped: 0 };
  result.skipped = deliveryIds.length - due.length;
  const byWebhook = new Map<string, { webhook: WebhookRow; deliveries: WebhookDeliveryRow[] }>();
  for (const { delivery, webhook } of due) {
    const group = byWebhook.get(webhook.id) ?? { webhook, deliveries: [] };
    group.deliveries.push(delivery);
    byWebhook.set(webhook.id, group);
  }
  for (const { webhook, deliveries } of byWebhook.values()) {
    const sent: Sent[] = [];
    for (const delivery of deliveries) {
      const outcome: AttemptOutcome =
        webhook.enabled || delivery.eventType === 'webhook.ping'
          ? await send(delivery, webhook, deps)
          : { statusCode: null, durationMs: 0, error: 'the endpoint is disabled' };
      sent.push({ delivery, outcome });
      if (outcome.error !== null && outcome.statusCode === null && webhook.enabled) break;
    }
    const unsent = deliveries.slice(sent.length);
    const recorded = await recordAttempts(deps, webhook, attempt, sent, unsent);
    for (const key of ['succeeded', 'retrying', 'failed', 'deferred', 'skipped'] as const) result[key] += recorded[key];
  }
  return result;
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

/**
 * Records the attempts made, in one statement, then plans what comes next in the same
 * transaction: one job for the deliveries to retry (they failed together, so their next attempt
 * is due together), one for those left unsent (due with it), and the endpoint's failing streak.
 */
async function recordAttempts(
  deps: DeliveryDependencies,
  webhook: WebhookRow,
  attempt: number,
  sent: readonly Sent[],
  unsent: readonly WebhookDeliveryRow[],
): Promise<AttemptsResult> {
  const now = deps.clock.now();
  const retryDelay = webhook.enabled ? RETRY_DELAYS_MS[attempt - 1] : undefined;
  const retryAt = retryDelay === undefined ? null : new Date(now.getTime() + retryDelay);
  const recordedAttempts = sent.map(({ delivery, outcome }) => {
    const succeeded = outcome.error === null;
    const nextAttemptAt = succeeded ? null : retryAt;
    return {
      id: delivery.id,
      status: succeeded ? 'succeeded' : nextAttemptAt ? 'pending' : 'failed',
      entry: { at: now.toISOString(), ...outcome } satisfies Attempt,
      next_attempt_at: nextAttemptAt?.toISOString() ?? null,
    };
  });
  return deps.db.transaction(async (tx) => {
    // Compare-and-set on the attempt count: a concurrent run of the same attempt (a lapsed lease) records nothing twice.
    const recorded = await selectRows<{ id: string; status: 'pending' | 'succeeded' | 'failed' }>(
      tx,
      sql`update webhook_deliveries d
             set status = a.status, attempt_count = ${attempt}, attempts = d.attempts || jsonb_build_array(a.entry),
                 next_attempt_at = a.next_attempt_at
            from jsonb_to_recordset(${JSON.stringify(recordedAttempts)}::jsonb)
                 as a(id uuid, status text, entry jsonb, next_attempt_at timestamptz)
           where d.id = a.id and d.attempt_count = ${attempt - 1}
          returning d.id, d.status`,
    );
    const result: AttemptsResult = { succeeded: 0, retrying: 0, failed: 0, deferred: 0, skipped: 0 };
    result.skipped = sent.length - recorded.length;
    for (const row of recorded) result[row.status === 'pending' ? 'retrying' : row.status] += 1;
    const retrying = recorded.filter((row) => row.status === 'pending').map((row) => row.id);
    if (retryAt && retrying.length > 0)
      await enqueueJob(tx, deliverWebhookJob, { deliveryIds: retrying, attempt: attempt + 1 }, { runAt: retryAt });
    if (retryAt && unsent.length > 0) {
      const deferred = new Set(
        (
          await tx
            .update(webhookDeliveries)
            .set({ nextAttemptAt: retryAt })
            .where(
              and(
                inArray(
                  webhookDeliveries.id,
                  unsent.map((delivery) => delivery.id),
                ),
                eq(webhookDeliveries.status, 'pending'),
                eq(webhookDeliveries.attemptCount, attempt - 1),
              ),
            )
            .returning({ id: webhookDeliveries.id })
        ).map((row) => row.id),
      );
      result.deferred = deferred.size;
      const deliveryIds = unsent.map((delivery) => delivery.id).filter((id) => deferred.has(id));
      if (deliveryIds.length > 0) await enqueueJob(tx, deliverWebhookJob, { deliveryIds, attempt }, { runAt: retryAt });
    }
    if (recorded.length === 0) return result;
    // The streak follows the last message the endpoint was sent.
    if (sent.at(-1)!.outcome.error === null) {
      if (webhook.failingSince) await updateWebhookRow(tx, webhook.id, { failingSince: null });
    } else if (webhook.enabled) {
      await noteFailure(tx, deps, webhook.id, now);
    }
    return result;
  });
}

/**
 * Keeps when the endpoint started failing; five days of nothing but failures turn it off. The
 * endpoint is locked: runners failing on it together start its streak, and disable it, once.
 */
async function noteFailure(tx: Executor, deps: DeliveryDependencies, webhookId: string, now: Date): Promise<void> {
  const row = await findWebhook(tx, webhookId, { lock: true });
  if (!row?.enabled) return;
  if (!row.failingSince) {
    await updateWebhookRow(tx, webhookId, { failingSince: now });
    return;
  }
  if (now.getTime() - row.failingSince.getTime() < DISABLE_AFTER_FAILING_MS) return;
  const disabled = await updateWebhookRow(tx, webhookId, { enabled: false, disabledReason: 'failing', updatedAt: now });
  await recordAudit(tx, deps.clock, systemActor('webhooks.deliver'), {
    action: 'webhook.disabled',
    targetType: 'webhook',
    targetId: webhookId,
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
